"""Oracle for CheckpointImportTests: checkpoints in the layouts CheckpointImport must read.

usage: make_scrl_checkpoints.py OUT_DIR
Writes, for one seeded resnet18:
  scrl.pth         official SCRL trainer/base.py layout: online/target network, predictor, optimizer,
                   scheduler, scaler state dicts plus tag/epoch/max_eval_* (ints, floats, strings, lists)
  scrl_ddp.pth     same, with online-network keys prefixed "module."
  torchvision.pth  torchvision resnet18 state_dict, fc included
  expected.pt      the trunk weights keyed like torchvision (no fc): what every import must return
"""
import collections
import os
import sys

import torch
import torchvision
from torch import nn

out_dir = sys.argv[1]
torch.manual_seed(0)

resnet = torchvision.models.resnet18()
with torch.no_grad():
    for name, buf in resnet.named_buffers():  # non-default BN statistics, so a mis-mapped buffer shows
        if name.endswith("running_mean"):
            buf.normal_(0, 0.1)
        elif name.endswith("running_var"):
            buf.uniform_(0.5, 1.5)
        elif name.endswith("num_batches_tracked"):
            buf.fill_(len(name))


class Projector(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(512, 64), nn.BatchNorm1d(64), nn.ReLU(inplace=True), nn.Linear(64, 16))


class OnlineNetwork(nn.Module):  # SCRL models/backbone.py: encoder = resnet children minus fc
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(*list(resnet.children())[:-1])
        self.projector = Projector()


online = OnlineNetwork()
predictor = Projector()
optimizer = torch.optim.SGD(list(online.parameters()) + list(predictor.parameters()), lr=0.1, momentum=0.9)
for p in optimizer.param_groups[0]["params"]:
    p.grad = torch.ones_like(p)
optimizer.step()  # momentum buffers: tensors nested in dicts keyed by int
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)

checkpoint = {
    "tag": "3",
    "epoch": 3,
    "max_eval_score": 12.5,
    "max_eval_epoch": 2,
    "online_network_state_dict": online.state_dict(),
    "target_network_state_dict": online.state_dict(),
    "predictor_state_dict": predictor.state_dict(),
    "xent_loss_state_dict": collections.OrderedDict(),
    "optimizer_state_dict": optimizer.state_dict(),
    "scheduler_state_dict": scheduler.state_dict(),
    "scaler_state_dict": {"scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                          "growth_interval": 2000, "_growth_tracker": 0},
}
torch.save(checkpoint, os.path.join(out_dir, "scrl.pth"))

checkpoint["online_network_state_dict"] = collections.OrderedDict(
    ("module." + k, v) for k, v in online.state_dict().items())
torch.save(checkpoint, os.path.join(out_dir, "scrl_ddp.pth"))

torch.save(resnet.state_dict(), os.path.join(out_dir, "torchvision.pth"))
torch.save({k: v for k, v in resnet.state_dict().items() if not k.startswith("fc.")},
           os.path.join(out_dir, "expected.pt"))
