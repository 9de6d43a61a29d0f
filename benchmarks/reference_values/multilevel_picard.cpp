// Multilevel Picard (MLP) estimates of u(0, 0) for the terminal-value
// problems u_t + Lap u + f(u) = 0, u(x, T) = g(x), T = 0.3: the method the
// published reference values come from (Hutzenthaler, Jentzen, Kruse, Nguyen
// and von Wurstemberger, full-history recursive multilevel Picard), written
// here from its definition to check those values where no other check
// exists (arctan(max_i x_i) is not radial). With X = x + sqrt(2) W,
//   u(t, x) = E g(X_{T-t}) + int_t^T E f(u(s, X_{s-t})) ds,
// and with U_0 = 0, R uniform on [t, T],
//   U_n(t, x) = M^-n sum_i g(x + sqrt(2) W^i_{T-t})
//             + sum_{l<n} (T - t) M^(l-n) sum_i [f(U_l) - f(U_{l-1})](R^i, x + sqrt(2) W^i_{R^i-t}),
// every U_l on the right an independent copy (U_{-1} = 0 contributes nothing).
// E U_n is the n-th Picard iterate; the mean of K independent U_n and its
// standard error are printed. The radial problems (semilinear heat,
// Sine-Gordon) check this program against the finite-difference values of
// docs/MATH.md.
//
//   c++ -O2 -o mlp multilevel_picard.cpp && ./mlp PROBLEM D N M K [SEED]
//   PROBLEM: allen-cahn | sine-gordon (v = u / d) | heat
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr double kHorizon = 0.3;

struct Problem {
  std::function<double(double)> f;
  std::function<double(const std::vector<double> &)> g;
};

Problem problemNamed(const std::string &name) {
  auto inverseQuadratic = [](const std::vector<double> &x) {
    double r2 = 0;
    for (double v : x)
      r2 += v * v;
    return 5.0 / (10.0 + 2.0 * r2);
  };
  if (name == "allen-cahn")
    return {[](double u) { return u - u * u * u; },
            [](const std::vector<double> &x) {
              double m = x[0];
              for (double v : x)
                m = std::max(m, v);
              return std::atan(m);
            }};
  if (name == "sine-gordon")
    return {[](double u) { return std::sin(u); }, inverseQuadratic};
  if (name == "heat")
    return {[](double u) { return (1 - u * u) / (1 + u * u); }, inverseQuadratic};
  std::fprintf(stderr, "unknown problem '%s': use allen-cahn, sine-gordon or heat\n", name.c_str());
  std::exit(2);
}

class Picard {
public:
  Picard(Problem p, int64_t dim, int levels, uint64_t seed)
      : p(std::move(p)), dim(dim), levels(levels), rng(seed) {}

  /// One realization of U_n(t, x).
  double estimate(int n, double t, const std::vector<double> &x) {
    if (n == 0)
      return 0.0;
    double remaining = kHorizon - t;
    std::vector<double> y(dim);
    int64_t samples = power(n);
    double terminal = 0.0;
    for (int64_t i = 0; i < samples; ++i) {
      moved(x, remaining, y);
      terminal += p.g(y);
    }
    double total = terminal / double(samples);
    for (int l = 0; l < n; ++l) {
      int64_t count = power(n - l);
      double sum = 0.0;
      for (int64_t i = 0; i < count; ++i) {
        double r = t + remaining * uniform(rng);
        moved(x, r - t, y);
        std::vector<double> at = y; // the recursion reuses y
        sum += p.f(estimate(l, r, at));
        if (l > 0)
          sum -= p.f(estimate(l - 1, r, at));
      }
      total += remaining * sum / double(count);
    }
    return total;
  }

private:
  int64_t power(int k) const {
    int64_t m = 1;
    for (int i = 0; i < k; ++i)
      m *= levels;
    return m;
  }
  /// y = x + sqrt(2 s) Z.
  void moved(const std::vector<double> &x, double s, std::vector<double> &y) {
    double scale = std::sqrt(2.0 * s);
    for (int64_t j = 0; j < dim; ++j)
      y[j] = x[j] + scale * normal(rng);
  }

  Problem p;
  int64_t dim;
  int levels;
  std::mt19937_64 rng;
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s PROBLEM D N M K [SEED]\n", argv[0]);
    return 2;
  }
  std::string name = argv[1];
  int64_t dim = std::atoll(argv[2]);
  int n = std::atoi(argv[3]), m = std::atoi(argv[4]), runs = std::atoi(argv[5]);
  uint64_t seed = argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 1;
  if (dim < 1 || n < 1 || m < 1 || runs < 2) {
    std::fprintf(stderr, "D, N and M must be >= 1 and K >= 2\n");
    return 2;
  }
  Picard picard(problemNamed(name), dim, m, seed);
  std::vector<double> origin(dim, 0.0);
  double sum = 0, sumSq = 0;
  for (int k = 0; k < runs; ++k) {
    double v = picard.estimate(n, 0.0, origin);
    sum += v;
    sumSq += v * v;
  }
  double mean = sum / runs, var = (sumSq - runs * mean * mean) / (runs - 1);
  std::printf("%s d=%lld N=%d M=%d K=%d: u(0,0) = %.6f +- %.6f (standard error)\n", name.c_str(),
              (long long)dim, n, m, runs, mean, std::sqrt(var / runs));
  return 0;
}
