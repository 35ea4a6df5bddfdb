"""Golden values for RoiAlign: torchvision.ops.roi_align forward and gradient w.r.t. the input.

Each case k stores, under keys "k.<name>":
  rois [R, 5] = (batch_idx, x1, y1, x2, y2) in input-image px,
  params float64 [6] = (output_h, output_w, spatial_scale, sampling_ratio, aligned, map_index),
  output [R, C, PH, PW], upstream [R, C, PH, PW] (fixed random gradient), grad_input [N, C, H, W].
The input maps are stored once, as "map.<map_index>" [N, C, H, W].
Run with Debian's PyTorch 1.13 / torchvision 0.14: /usr/bin/python3 make_roialign.py
"""
import os

import torch
from torchvision.ops import roi_align

torch.set_num_threads(2)
torch.manual_seed(20210322)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "roialign.pt")


def rois_for(image_size, n_images):
    """Boxes in image px: inside, on the border, partly and fully outside, tiny (< 1 cell), degenerate."""
    s = float(image_size)
    boxes = [
        [0, 0.2 * s, 0.1 * s, 0.7 * s, 0.9 * s],        # inside
        [1 % n_images, 0.0, 0.0, s, s],                 # the whole map
        [0, 0.5 * s, 0.6 * s, s, s],                    # touching the bottom-right border
        [1 % n_images, -0.3 * s, -0.2 * s, 0.4 * s, 0.5 * s],  # partly outside, top-left
        [0, 0.8 * s, 0.7 * s, 1.4 * s, 1.3 * s],        # partly outside, bottom-right
        [1 % n_images, 0.31 * s, 0.42 * s, 0.33 * s, 0.43 * s],  # tiny, well under one cell
        [0, 0.5 * s, 0.5 * s, 0.5 * s, 0.5 * s],        # zero size
        [1 % n_images, 1.2 * s, 1.1 * s, 1.5 * s, 1.6 * s],  # fully outside
        [n_images - 1, 0.05 * s, 0.33 * s, 0.93 * s, 0.61 * s],  # wide and flat
    ]
    rand = torch.rand(3, 4) * 1.2 * s - 0.1 * s
    for i in range(3):
        x1, x2 = sorted(rand[i, [0, 2]].tolist())
        y1, y2 = sorted(rand[i, [1, 3]].tolist())
        boxes.append([i % n_images, x1, y1, x2, y2])
    return torch.tensor(boxes, dtype=torch.float32)


# (N, C, H, W, stride) -> map of an image of size H*stride; then (PH, PW, scale, sampling_ratio, aligned)
cases = []
for (n, c, h, w, stride) in [(2, 2, 7, 7, 32), (3, 2, 9, 11, 16), (2, 2, 12, 10, 1)]:
    for (ph, pw) in [(1, 1), (7, 7), (2, 3)]:
        for sr in [-1, 2, 0]:
            for aligned in [False, True]:
                cases.append(((n, c, h, w), stride, (ph, pw), sr, aligned))
# The SCRL configuration: C5 map of 8 images, 1x1 output, scale 1/32, adaptive sampling, legacy alignment.
cases.append(((8, 64, 7, 7), 32, (1, 1), -1, False))

golden = {}
maps = {}
for k, (shape, stride, (ph, pw), sr, aligned) in enumerate(cases):
    if shape not in maps:
        maps[shape] = len(maps)
        golden[f"map.{maps[shape]}"] = torch.randn(*shape)
    x = golden[f"map.{maps[shape]}"].clone().requires_grad_(True)
    image = max(shape[2], shape[3]) * stride
    rois = rois_for(image, shape[0])
    if shape == (8, 64, 7, 7):  # SCRL-like boxes: >= 32 px, mostly inside a 224 view
        xy = torch.rand(40, 2) * 180.0
        wh = 32.0 + torch.rand(40, 2) * (224.0 - 32.0)
        idx = torch.arange(40).remainder(8).float().unsqueeze(1)
        rois = torch.cat([idx, xy, (xy + wh).clamp(max=224.0)], 1)
    scale = 1.0 / stride
    y = roi_align(x, rois, (ph, pw), spatial_scale=scale, sampling_ratio=sr, aligned=aligned)
    upstream = torch.randn_like(y)
    (y * upstream).sum().backward()
    p = f"{k}."
    golden[p + "rois"] = rois.clone()
    golden[p + "params"] = torch.tensor([ph, pw, scale, sr, float(aligned), maps[shape]], dtype=torch.float64)
    golden[p + "output"] = y.detach().clone().contiguous()
    golden[p + "upstream"] = upstream.clone()
    golden[p + "grad_input"] = x.grad.clone()
golden["count"] = torch.tensor([len(cases)], dtype=torch.int64)

torch.save(golden, OUT)
print(f"wrote {len(cases)} cases to {OUT}")
