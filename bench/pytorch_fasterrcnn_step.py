"""Faster R-CNN R50-FPN step time in PyTorch, the reference for `scrl bench finetune`.

Same setup as the C# bench: torchvision 0.14 fasterrcnn_resnet50_fpn, random init (BatchNorm, all layers
trainable), 91 classes, batch of 2 fixed synthetic images resized to at most 512 px, SGD(0.02, momentum 0.9,
wd 1e-4), 2 threads. Prints the median step (forward + backward + SGD) and an inference pass split into
NMS, RoIAlign and the rest (by wrapping torchvision.ops.boxes.batched_nms and ops.roi_align with timers).

Run with the system interpreter, OpenBLAS first in case libblas.so.3 is the reference BLAS (fc6 would crawl):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench/pytorch_fasterrcnn_step.py [--steps 3]
"""
import argparse
import statistics
import time

import torch
import torchvision
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection import roi_heads as tv_roi_heads, rpn as tv_rpn
from torchvision.ops import poolers as tv_poolers


def synthetic_batch(seed):
    """Two fixed images (512x384 and 384x512) with three boxes each, the same layout as the C# bench."""
    g = torch.Generator().manual_seed(seed)
    images = [torch.rand(3, 384, 512, generator=g), torch.rand(3, 512, 384, generator=g)]
    boxes = torch.tensor([[40.0, 30.0, 200.0, 220.0], [250.0, 60.0, 330.0, 160.0], [100.0, 200.0, 360.0, 350.0]])
    targets = [{"boxes": boxes.clone(), "labels": torch.tensor([1, 5, 17])} for _ in images]
    targets[1]["boxes"] = boxes[:, [1, 0, 3, 2]].clone()  # transpose for the portrait image
    return images, targets


class Timed:
    """Wraps a function and sums its wall time."""

    def __init__(self, fn):
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        out = self.fn(*args, **kwargs)
        self.seconds += time.perf_counter() - start
        return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=91, min_size=512, max_size=512)
    images, targets = synthetic_batch(0)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)

    model.train()
    times = []
    for step in range(args.steps + 1):  # the first step warms up
        start = time.perf_counter()
        losses = model(images, targets)
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step > 0:
            times.append(time.perf_counter() - start)
    print(f"pytorch train step: median {statistics.median(times):.3f} s over {len(times)} ({', '.join(f'{t:.2f}' for t in times)})")

    nms = Timed(torchvision.ops.boxes.batched_nms)
    align = Timed(torchvision.ops.roi_align)
    tv_rpn.box_ops.batched_nms = nms
    tv_roi_heads.box_ops.batched_nms = nms
    tv_poolers.roi_align = align
    model.eval()
    with torch.no_grad():
        model(images)  # warm-up
        nms.seconds = align.seconds = 0.0
        start = time.perf_counter()
        model(images)
        total = time.perf_counter() - start
    print(f"pytorch inference: {total:.3f} s; nms {nms.seconds:.3f} s ({100 * nms.seconds / total:.1f}%), "
          f"roi_align {align.seconds:.3f} s ({100 * align.seconds / total:.1f}%)")


if __name__ == "__main__":
    main()
