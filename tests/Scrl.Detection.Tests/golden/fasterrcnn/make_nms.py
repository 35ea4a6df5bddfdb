"""Golden kept indices of torchvision.ops.nms / batched_nms on random boxes (committed as nms.pt, ~100 KB).

Case k stores "k.boxes" [N, 4] xyxy px, "k.scores" [N], "k.idxs" [N] int64 categories, "k.threshold" [1] and
"k.keep" [K] int64. Case 0 is plain nms; case 1 uses the coordinate trick (<= 1000 boxes); case 2 takes
torchvision's per-category path (> 1000 boxes on CPU); case 3 has duplicated scores (stable-sort ties).
Run with Debian's PyTorch 1.13 / torchvision 0.14: /usr/bin/python3 make_nms.py
"""
import os

import torch
from torchvision.ops import batched_nms, nms

torch.manual_seed(20210601)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nms.pt")


def random_boxes(n, extent=300.0):
    xy = torch.rand(n, 2) * extent
    wh = torch.rand(n, 2) * 80 + 2
    return torch.cat([xy, xy + wh], 1)


def main():
    out = {}
    cases = [(600, 1, 0.5), (900, 7, 0.7), (2500, 5, 0.5), (400, 3, 0.3)]
    for k, (n, classes, threshold) in enumerate(cases):
        boxes = random_boxes(n)
        scores = torch.rand(n)
        if k == 3:
            scores = (scores * 10).floor() / 10   # many exact ties
        idxs = torch.randint(0, classes, (n,))
        keep = nms(boxes, scores, threshold) if classes == 1 else batched_nms(boxes, scores, idxs, threshold)
        out.update({f"{k}.boxes": boxes, f"{k}.scores": scores, f"{k}.idxs": idxs,
                    f"{k}.threshold": torch.tensor([threshold], dtype=torch.float64), f"{k}.keep": keep})
    torch.save(out, OUT)


if __name__ == "__main__":
    main()
