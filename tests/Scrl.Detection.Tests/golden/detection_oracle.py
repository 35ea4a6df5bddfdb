"""What the detector oracles (fasterrcnn/, retinanet/) share: deterministic test images and the keys-file format.

Imports hashed_init.py, which the test project links beside this file in its output (its source is in
Scrl.Core.Tests/golden/training, found from the source tree too).
"""
import os
import sys

import torch

_HERE = os.path.dirname(os.path.abspath(__file__))
for _dir in (_HERE, os.path.join(_HERE, "..", "..", "Scrl.Core.Tests", "golden", "training")):
    if os.path.exists(os.path.join(_dir, "hashed_init.py")):
        sys.path.insert(0, _dir)
        break
from hashed_init import uniform  # noqa: E402


def image(name, h, w):
    """Deterministic image in [0, 1]: smooth blobs plus hashed noise so features are not flat."""
    noise = torch.from_numpy(uniform(name, 3 * h * w).reshape(3, h, w)).float()
    yy, xx = torch.meshgrid(torch.linspace(0, 6.28, h), torch.linspace(0, 6.28, w), indexing="ij")
    base = torch.stack([torch.sin(xx * (c + 1)) * torch.cos(yy * (c + 2)) for c in range(3)])
    return (0.5 + 0.35 * base + 0.15 * noise).clamp(0, 1)


def write_keys(path, models):
    """One line per state-dict entry, "tag name d0,d1,...", for each (tag, model)."""
    with open(path, "w") as f:
        for tag, model in models:
            for name, t in model.state_dict().items():
                f.write(f"{tag} {name} {','.join(str(d) for d in t.shape)}\n")
