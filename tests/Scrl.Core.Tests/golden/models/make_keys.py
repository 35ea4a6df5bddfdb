"""Exports the state-dict keys and shapes of torchvision's resnet18/resnet50 without fc.* (ResNetBackbone key test)."""
import json
import os

import torch
import torchvision

torch.set_num_threads(2)
out = {}
for name in ["resnet18", "resnet50"]:
    model = getattr(torchvision.models, name)()
    out[name] = {k: list(v.shape) for k, v in model.state_dict().items() if not k.startswith("fc.")}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "resnet_keys.json"), "w") as f:
    # One key per line keeps diffs of this file readable.
    f.write("{\n" + ",\n".join(
        f'"{name}": {{\n' + ",\n".join(f'  "{k}": {json.dumps(v)}' for k, v in sorted(keys.items())) + "\n}"
        for name, keys in out.items()) + "\n}\n")
