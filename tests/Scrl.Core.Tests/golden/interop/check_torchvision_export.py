"""Oracle for TorchvisionExportTests: torchvision strict-loads our .pth and runs it.

usage: check_torchvision_export.py EXPORT.pth INPUT.pt OUT.pt
Writes OUT.pt = {"features": GAP(C5) of INPUT["input"], "state.<key>": every tensor PyTorch loaded}.
"""
import sys

import torch
import torchvision

export_path, input_path, out_path = sys.argv[1:4]

model = torchvision.models.resnet18()
model.fc = torch.nn.Identity()  # the export is a trunk: fc.* must be the only thing torchvision lacks
model.load_state_dict(torch.load(export_path, map_location="cpu"), strict=True)
model.eval()

x = torch.load(input_path)["input"]
with torch.no_grad():
    features = model(x)

out = {"features": features}
out.update({"state." + k: v for k, v in model.state_dict().items()})
torch.save(out, out_path)
