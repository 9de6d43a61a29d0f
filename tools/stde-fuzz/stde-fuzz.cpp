//===- stde-fuzz.cpp - mutation fuzzing of parse, verify and every pipeline -===//
//
// Feeds IR through what stde-opt does with it: parse (with verification),
// then each of stde's pipelines on a copy. Every case runs in a forked child
// with a time limit, so a crash or a hang is observed, classified by the
// phase it happened in, and its input saved; clean errors are the expected
// outcome of bad IR.
//
//   stde-fuzz --replay FILE|DIR...            every input once, unchanged
//   stde-fuzz --seconds S [--seed K] DIR...   mutate inputs of the corpus
//   stde-fuzz --self-test                     shows that crashes and hangs are seen
//   --crashes DIR   where crashing / hanging inputs are written
//   --timeout S     seconds one case may take (10)
//
// Inputs are .mlir files; `// -----` splits a file into several inputs.
// Exit status 1 when a case crashed or hung (other than a known upstream
// crash, see below), else 0. The summary counts cases per outcome.
//
//===----------------------------------------------------------------------===//
#include "stde/InitAllStde.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

/// What each case goes through after parsing, on its own copy.
const char *const kPipelines[] = {
    "builtin.module(stde-resolve-estimators,stde-lower-operators,jet-expand,jet-simplify)",
    "builtin.module(stde-param-grad)",
    "builtin.module(zo-pair,zo-update)",
    "builtin.module(stde-cpu-pipeline)",
    "builtin.module(stde-gpu-emulator-pipeline)",
};
constexpr int kNumPipelines = int(sizeof kPipelines / sizeof *kPipelines);

/// The phase a child is in, written to memory the parent reads after a crash.
enum Phase : int { kStart = 0, kParse = 1, kPipeline0 = 2 };

std::string phaseName(int phase) {
  if (phase == kParse)
    return "parse";
  if (phase >= kPipeline0 && phase < kPipeline0 + kNumPipelines)
    return std::string("pipeline ") + kPipelines[phase - kPipeline0];
  return "setup";
}

/// A child's exit status when its input parsed and every pipeline ran (0:
/// the parser refused it, a clean error too).
constexpr int kParsedExit = 3;
/// A child's exit status when the harness itself is wrong (a pipeline name).
constexpr int kInternalExit = 97;

/// --self-test's inputs: a child that crashes and one that hangs, to show
/// that the harness sees both.
const char *const kSelfTestCrash = "\x01 stde-fuzz self-test: crash";
const char *const kSelfTestHang = "\x01 stde-fuzz self-test: hang";
bool selfTest = false;

/// Runs one input to its end in this (child) process.
[[noreturn]] void runCase(const std::string &text, volatile int *phase) {
  if (selfTest && text == kSelfTestCrash)
    std::raise(SIGSEGV);
  while (selfTest && text == kSelfTestHang)
    pause();
  mlir::DialectRegistry registry;
  stde::registerAllDialects(registry);
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &) { return mlir::success(); });
  *phase = kParse;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, mlir::ParserConfig(&context));
  if (!module)
    std::_Exit(0);
  for (int i = 0; i < kNumPipelines; ++i) {
    *phase = kPipeline0 + i;
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::PassManager pm(&context);
    if (mlir::failed(mlir::parsePassPipeline(kPipelines[i], pm))) {
      std::fprintf(stderr, "stde-fuzz: internal: the pipeline '%s' does not parse\n",
                   kPipelines[i]);
      std::_Exit(kInternalExit);
    }
    (void)pm.run(*copy);
  }
  std::_Exit(kParsedExit);
}

enum class Outcome { refused, parsed, crash, hang, knownUpstream, internal };

struct Result {
  Outcome outcome;
  std::string detail;
};

/// MLIR's own linalg named-op parser crashes on some malformed bodies (an
/// upstream bug, not reachable through stde's lowering): a crash while
/// parsing an input that names a linalg op is counted as that, not as ours.
bool knownUpstreamCrash(int phase, const std::string &text) {
  return phase == kParse && text.find("linalg.") != std::string::npos;
}

Result runForked(const std::string &text, int timeoutSeconds) {
  auto *phase = static_cast<volatile int *>(
      mmap(nullptr, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  *phase = kStart;
  std::fflush(nullptr);
  pid_t child = fork();
  if (child == 0) {
    alarm(unsigned(timeoutSeconds));
    // A crashing child should not spend seconds printing a stack trace.
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, STDERR_FILENO);
    runCase(text, phase);
  }
  int status = 0;
  waitpid(child, &status, 0);
  int where = *phase;
  munmap(const_cast<int *>(phase), sizeof(int));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {Outcome::refused, ""};
  if (WIFEXITED(status) && WEXITSTATUS(status) == kParsedExit)
    return {Outcome::parsed, ""};
  if (WIFEXITED(status) && WEXITSTATUS(status) == kInternalExit)
    return {Outcome::internal, "a pipeline of the harness does not parse"};
  int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (signal == SIGALRM)
    return {Outcome::hang, phaseName(where)};
  // Any other exit is a crash: under a sanitizer a fault or a bad access is
  // a report and exit status 1, not a signal.
  std::string detail = (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status)) +
                                                " (a sanitizer report or an abort)"
                                          : std::string(strsignal(signal))) +
                       " in " + phaseName(where);
  if (knownUpstreamCrash(where, text))
    return {Outcome::knownUpstream, detail};
  return {Outcome::crash, detail};
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void collectFiles(const std::string &path, std::vector<std::string> &files) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0)
    return;
  if (S_ISREG(info.st_mode)) {
    if (endsWith(path, ".mlir"))
      files.push_back(path);
    return;
  }
  DIR *dir = opendir(path.c_str());
  if (!dir)
    return;
  std::vector<std::string> names;
  while (dirent *entry = readdir(dir))
    if (entry->d_name[0] != '.')
      names.push_back(entry->d_name);
  closedir(dir);
  std::sort(names.begin(), names.end()); // the same order on every machine
  for (const std::string &name : names)
    collectFiles(path + "/" + name, files);
}

/// The inputs of a file: its parts between `// -----` lines.
std::vector<std::string> inputsOf(const std::string &path) {
  std::ifstream file(path);
  std::vector<std::string> inputs(1);
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("// -----", 0) == 0) {
      inputs.emplace_back();
      continue;
    }
    inputs.back() += line + "\n";
  }
  return inputs;
}

/// One random change of the text, of the kinds that reach verifiers and
/// passes: lines dropped, repeated or spliced from another input, numbers
/// replaced by extremes, spans cut, tokens inserted.
std::string mutate(std::string text, const std::vector<std::string> &corpus, std::mt19937_64 &rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t(0) : size_t(rng() % n); };
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  static const char *const numbers[] = {"0", "-1", "1", "2", "3", "7", "64", "2147483648",
                                        "9223372036854775807", "-9223372036854775808",
                                        "1.0e308", "0x7FC00000", "100000000000"};
  static const char *const tokens[] = {"tensor<", ">", "%0", "{", "}", ":", "f32", "f64", "x",
                                       "?", "(", ")", ",", "[", "]", "stde.", "jet.", "#stde.",
                                       "samples = ", "\n", "-> ", "@u", "dense<"};
  switch (rng() % 6) {
  case 0: // drop a line
    if (!lines.empty())
      lines.erase(lines.begin() + long(pick(lines.size())));
    break;
  case 1: // repeat a line
    if (!lines.empty()) {
      size_t at = pick(lines.size());
      lines.insert(lines.begin() + long(at), lines[at]);
    }
    break;
  case 2: { // a line of another input
    const std::string &other = corpus[pick(corpus.size())];
    std::vector<std::string> otherLines;
    std::istringstream o(other);
    for (std::string line; std::getline(o, line);)
      otherLines.push_back(line);
    if (!otherLines.empty())
      lines.insert(lines.begin() + long(pick(lines.size() + 1)), otherLines[pick(otherLines.size())]);
    break;
  }
  default: {
    std::string joined;
    for (const std::string &line : lines)
      joined += line + "\n";
    if (joined.empty())
      return joined;
    size_t at = pick(joined.size());
    int kind = int(rng() % 3);
    if (kind == 0) { // replace the number at or after `at`
      size_t begin = joined.find_first_of("0123456789", at);
      if (begin == std::string::npos)
        return joined;
      size_t end = joined.find_first_not_of("0123456789.e", begin);
      joined.replace(begin, (end == std::string::npos ? joined.size() : end) - begin,
                     numbers[pick(sizeof numbers / sizeof *numbers)]);
    } else if (kind == 1) { // cut a span
      joined.erase(at, 1 + pick(24));
    } else { // insert a token
      joined.insert(at, tokens[pick(sizeof tokens / sizeof *tokens)]);
    }
    return joined;
  }
  }
  std::string joined;
  for (const std::string &line : lines)
    joined += line + "\n";
  return joined;
}

uint64_t fnv1a(const std::string &s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

} // namespace

int main(int argc, char **argv) {
  bool replay = false;
  double seconds = 0;
  uint64_t seed = 1;
  int timeoutSeconds = 10;
  std::string crashes;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "stde-fuzz: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--replay")
      replay = true;
    else if (arg == "--self-test")
      selfTest = true;
    else if (arg == "--seconds")
      seconds = std::atof(value().c_str());
    else if (arg == "--seed")
      seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (arg == "--timeout")
      timeoutSeconds = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--crashes")
      crashes = value();
    else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "stde-fuzz: unknown option '%s'\n", arg.c_str());
      return 2;
    } else
      paths.push_back(arg);
  }
  stde::registerAllPasses();
  if (selfTest) {
    Result crash = runForked(kSelfTestCrash, 1), hang = runForked(kSelfTestHang, 1),
           clean = runForked("module {}", 10);
    bool ok = crash.outcome == Outcome::crash && hang.outcome == Outcome::hang &&
              clean.outcome == Outcome::parsed;
    std::printf("self-test: a crash is seen as %s (%s), a hang as %s, an empty module as %s: %s\n",
                crash.outcome == Outcome::crash ? "a crash" : "something else",
                crash.detail.c_str(), hang.outcome == Outcome::hang ? "a hang" : "something else",
                clean.outcome == Outcome::parsed ? "parsed" : "something else",
                ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
  }
  if (paths.empty() || (!replay && !(seconds > 0))) {
    std::fprintf(stderr, "usage: stde-fuzz --replay FILE|DIR... | --seconds S [--seed K] DIR...\n"
                         "       [--crashes DIR] [--timeout S]\n");
    return 2;
  }
  std::vector<std::string> files, corpus;
  for (const std::string &path : paths)
    collectFiles(path, files);
  for (const std::string &file : files)
    for (std::string &input : inputsOf(file))
      corpus.push_back(std::move(input));
  if (corpus.empty()) {
    std::fprintf(stderr, "stde-fuzz: no .mlir inputs under the paths given\n");
    return 2;
  }
  std::map<Outcome, int64_t> counts;
  int64_t cases = 0;
  auto record = [&](const std::string &text, const Result &r) {
    ++cases;
    ++counts[r.outcome];
    if (r.outcome == Outcome::refused || r.outcome == Outcome::parsed)
      return;
    const char *kind = r.outcome == Outcome::hang            ? "hang"
                       : r.outcome == Outcome::knownUpstream ? "known-upstream-crash"
                       : r.outcome == Outcome::internal      ? "internal-error"
                                                             : "crash";
    char name[64];
    std::snprintf(name, sizeof name, "%s-%016" PRIx64 ".mlir", kind, fnv1a(text));
    std::fprintf(stdout, "%s: %s (%s)\n", kind, name, r.detail.c_str());
    if (!crashes.empty())
      std::ofstream(crashes + "/" + name) << text;
  };
  if (replay) {
    for (const std::string &input : corpus)
      record(input, runForked(input, timeoutSeconds));
  } else {
    std::mt19937_64 rng(seed);
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
           seconds) {
      std::string text = corpus[rng() % corpus.size()];
      for (int m = 1 + int(rng() % 3); m > 0; --m)
        text = mutate(text, corpus, rng);
      record(text, runForked(text, timeoutSeconds));
    }
  }
  int64_t bad = counts[Outcome::crash] + counts[Outcome::hang] + counts[Outcome::internal];
  std::printf("%" PRId64 " cases from %zu inputs: %" PRId64 " refused by the parser, %" PRId64
              " parsed and through every pipeline, %" PRId64 " crashed, %" PRId64 " hung, %" PRId64
              " known upstream crashes, %" PRId64 " internal errors\n",
              cases, corpus.size(), counts[Outcome::refused], counts[Outcome::parsed],
              counts[Outcome::crash],
              counts[Outcome::hang], counts[Outcome::knownUpstream], counts[Outcome::internal]);
  return bad == 0 ? 0 : 1;
}
