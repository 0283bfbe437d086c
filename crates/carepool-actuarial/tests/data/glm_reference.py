"""The GLM values of tests/reference.rs, computed with statsmodels (pip install statsmodels scipy):
the examples of R's ?glm, Dobson's (1990) Poisson counts and McCullagh & Nelder's clotting times.
R prints the same to its displayed digits (AIC 56.76, 37.99, 27.03). R's AIC for Gamma takes the
dispersion's maximum-likelihood estimate, deviance / n, and counts it as a parameter.

    python3 crates/carepool-actuarial/tests/data/glm_reference.py
"""
import numpy as np
np.set_printoptions(precision=12)
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.stats import gamma

dobson = pd.DataFrame({"counts": [18, 17, 15, 20, 10, 20, 25, 13, 12],
                       "outcome": [1, 2, 3] * 3, "treatment": [1] * 3 + [2] * 3 + [3] * 3})
fit = smf.glm("counts ~ C(outcome) + C(treatment)", dobson, family=sm.families.Poisson()).fit(tol=1e-14)
print("dobson", fit.params.values, fit.bse.values, fit.deviance, fit.null_deviance, fit.aic)

clotting = pd.DataFrame({"u": [5, 10, 15, 20, 30, 40, 60, 80, 100],
                         "lot1": [118, 58, 42, 35, 27, 25, 21, 19, 18],
                         "lot2": [69, 35, 26, 21, 18, 16, 13, 12, 12]})
for lot in ["lot1", "lot2"]:
    for link in [sm.families.links.InversePower(), sm.families.links.Log()]:
        fit = smf.glm(f"{lot} ~ np.log(u)", clotting, family=sm.families.Gamma(link)).fit(tol=1e-14)
        dispersion = fit.deviance / len(clotting)
        y, mu = clotting[lot].values, fit.fittedvalues.values
        aic = -2 * np.sum(gamma.logpdf(y, 1 / dispersion, scale=mu * dispersion)) + 2 + 2 * 2
        print(lot, type(link).__name__, fit.params.values, fit.bse.values, fit.deviance,
              fit.null_deviance, fit.scale, aic)
