"""Oracle for TorchvisionExportTests: torchvision strict-loads our .pth and runs it.

usage: check_torchvision_export.py EXPORT.pth INPUT.pt OUT.pt
Writes OUT.pt = {"features": GAP(C5) of INPUT["input"], "state.<key>": every tensor PyTorch loaded}.
Features are computed in float64, so the comparison checks the weights' mapping, not how a BLAS rounds.
"""
import sys

import torch
import torchvision

export_path, input_path, out_path = sys.argv[1:4]

model = torchvision.models.resnet18()
model.fc = torch.nn.Identity()  # the export is a trunk: fc.* must be the only thing torchvision lacks
model.load_state_dict(torch.load(export_path, map_location="cpu"), strict=True)
model.eval()

out = {"state." + k: v.clone() for k, v in model.state_dict().items()}
x = torch.load(input_path)["input"]
with torch.no_grad():
    out["features"] = model.double()(x.double())
torch.save(out, out_path)
