"""Writes expected.json: SciPy's statistics for the points in points.json.

Run with Debian's python3 (scipy 1.10, numpy 1.24):  /usr/bin/python3 make_correlation.py
Per protocol: pearsonr's r, linregress' slope and intercept, the Student t quantile on n - 2 degrees of freedom,
the 95% confidence band of the fitted mean at a few x, and a percentile bootstrap interval of r (20000 paired
draws with NumPy's seeded generator, r by pearsonr, draws where one side has no spread left out, np.percentile).
scipy.stats.bootstrap is not used because it keeps those draws as NaN, which turns its interval into NaN on six
points. The draws differ from ours, so the test compares that interval with a Monte Carlo tolerance, and everything
else closely.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = ["roi-eval.top1", "linear-eval.top1"]

with open(os.path.join(HERE, "points.json")) as f:
    fixture = json.load(f)
downstream = fixture["downstream"]
out = {"downstream": downstream, "scipy": scipy.__version__, "protocols": {}}
for metric in PROTOCOLS:
    x = np.array([r[metric] for r in fixture["runs"]], dtype=np.float64)
    y = np.array([r[downstream] for r in fixture["runs"]], dtype=np.float64)
    n = len(x)
    r, p = stats.pearsonr(x, y)
    fit = stats.linregress(x, y)
    t = stats.t.ppf(0.975, n - 2)
    residual_std = np.sqrt(np.sum((y - (fit.intercept + fit.slope * x)) ** 2) / (n - 2))
    sxx = np.sum((x - x.mean()) ** 2)
    band_x = [float(x.min()), float(x.mean()), float(x.max()), 0.4, 0.8]
    band = []
    for bx in band_x:
        half = t * residual_std * np.sqrt(1.0 / n + (bx - x.mean()) ** 2 / sxx)
        fitted = fit.intercept + fit.slope * bx
        band.append({"x": bx, "low": float(fitted - half), "high": float(fitted + half)})
    rng = np.random.default_rng(0)
    draws = []
    for _ in range(20000):
        i = rng.integers(0, n, n)
        if np.ptp(x[i]) > 0 and np.ptp(y[i]) > 0:
            draws.append(stats.pearsonr(x[i], y[i])[0])
    low, high = np.percentile(draws, [2.5, 97.5])
    out["protocols"][metric] = {
        "n": n, "r": float(r), "slope": float(fit.slope), "intercept": float(fit.intercept),
        "t": float(t), "residualStd": float(residual_std), "band": band,
        "bootstrapLow": float(low), "bootstrapHigh": float(high),
    }

with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(json.dumps(out, indent=2))
