"""Golden values of the input-consistency view geometry (paper appendix J) for Scrl.Core.Augment.AspectPadding.

The official SCRL code has no input-level-consistency pipeline, so this is the reference definition that the C# code
follows: each normalized square view of side S is resized (bicubic, antialiased, align_corners=False, unclamped) so
that its aspect ratio w/h is `aspect` with the longer side kept at S and the shorter one round(S*aspect) or
round(S/aspect) (Python's round: half to even), at least 1; it is placed at top = (S-h)//2, left = (S-w)//2 on a
zero canvas (zero = the dataset mean after normalization: mean padding).
Run with Debian's /usr/bin/python3 (torch 1.13); the output is deterministic.
"""
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(20210407)
S = 32


def placement(size, aspect):
    h, w = size, size
    if aspect >= 1:
        h = max(1, round(size / aspect))
    else:
        w = max(1, round(size * aspect))
    return h, w, (size - h) // 2, (size - w) // 2


def aspect_pad(views, aspects):
    out = torch.zeros_like(views)
    for n, a in enumerate(aspects):
        h, w, top, left = placement(views.shape[-1], a)
        resized = F.interpolate(views[n:n + 1], size=(h, w), mode="bicubic", align_corners=False, antialias=True)
        out[n:n + 1, :, top:top + h, left:left + w] = resized
    return out


aspects = [0.75, 1.0, 4.0 / 3.0, 0.9, 1.2, 0.8125, 1.0 / 0.8125, 0.765625, 0.01]  # 0.765625 * 32 = 24.5: half to even
views = torch.randn(len(aspects), 3, S, S)
placements = torch.tensor([placement(S, a) for a in aspects], dtype=torch.int64)
torch.save({"views": views, "aspects": torch.tensor(aspects, dtype=torch.float64), "placements": placements,
            "padded": aspect_pad(views, aspects)},
           os.path.join(os.path.dirname(os.path.abspath(__file__)), "aspect_padding.pt"))
print(placements.tolist())
