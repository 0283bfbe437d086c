"""The Bornhuetter-Ferguson, Benktander and Cape Cod values of tests/reference.rs, computed with
chainladder-python 0.10.1 (pip install chainladder==0.10.1) on its own RAA sample:

    python3 crates/carepool-actuarial/tests/data/reference.py
"""
import chainladder as cl
import numpy as np

raa = cl.load_sample("raa")
# One exposure per origin: 20,000 for 1981, rising by 2,000 a year.
exposure = raa.latest_diagonal * 0
exposure.values = (20000 + 2000 * np.arange(10)).reshape(exposure.values.shape).astype(float)

models = {
    "bornhuetter_ferguson": cl.BornhuetterFerguson(apriori=0.7),
    "benktander_3": cl.Benktander(apriori=0.7, n_iters=3),
    "cape_cod": cl.CapeCod(),
}
for name, model in models.items():
    fit = model.fit(raa, sample_weight=exposure)
    per_origin = ", ".join(f"{v:.4f}" for v in fit.ibnr_.values.flatten())
    print(f"{name}: total {fit.ibnr_.sum():.4f}; per origin [{per_origin}]")
    if name == "cape_cod":
        print(f"cape_cod apriori: {fit.apriori_.values.flatten()[0]:.6f}")
