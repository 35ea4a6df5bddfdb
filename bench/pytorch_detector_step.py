"""Detector step time in PyTorch, the reference for `scrl bench finetune --detector faster-rcnn|retinanet|mask-rcnn|keypoint-rcnn|sparse-rcnn`.

Same setup as the C# bench: torchvision 0.14 fasterrcnn_resnet50_fpn, retinanet_resnet50_fpn, maskrcnn_resnet50_fpn or
keypointrcnn_resnet50_fpn (--detector), or Sparse R-CNN as the authors' code computes it (the transcription in
tests/Scrl.Detection.Tests/golden/sparsercnn/sparse_rcnn.py on torchvision's ResNet-50-FPN, --proposals 100 or 300),
random init (BatchNorm, all layers trainable), 91 classes (2 for keypoints, with
17 keypoints), batch of 2 fixed synthetic images resized to 512 px (min_size = max_size), with ellipse masks and a fixed
keypoint pattern in each box for the mask and keypoint models, SGD(0.02, momentum 0.9, wd 1e-4) (Sparse R-CNN: AdamW(2.5e-5,
wd 1e-4) after clipping the gradient norm to 1, as its authors train), the same thread count (--threads, default 2). Like the C# bench it prints one JSON line
for the training steps (forward + backward + SGD, medians after --warmup steps) and one for inference passes on the
initial weights,
each with the time spent in NMS (torchvision.ops.boxes.batched_nms) and in MultiScaleRoIAlign (the model's
box_roi_pool, mask_roi_pool and keypoint_roi_pool; RetinaNet has none; Sparse R-CNN's ROIPooler), for Mask R-CNN in pasting
the masks into the images (paste_masks_in_image), and for Sparse R-CNN in Hungarian matching (cost matrices and SciPy's
linear_sum_assignment), measured by wrapping them with timers.

--flush-denormal sets torch.set_flush_denormal(True). From random init on noise images, some gradients turn
subnormal after two steps, and PyTorch 1.13's backward then runs 5-10x slower on this CPU (libtorch 2.10 under
TorchSharp shows no such slowdown); with the flag the steps time the model rather than the CPU's subnormal path.

Run with the system interpreter, OpenBLAS first in case libblas.so.3 is the reference BLAS (fc6 would crawl):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 bench/pytorch_detector_step.py --detector retinanet
"""
import argparse
import copy
import json
import os
import resource
import statistics
import sys
import time

import torch
import torchvision
from torchvision.models.detection import fasterrcnn_resnet50_fpn, keypointrcnn_resnet50_fpn, maskrcnn_resnet50_fpn, retinanet_resnet50_fpn
from torchvision.models.detection import retinanet as tv_retinanet, roi_heads as tv_roi_heads, rpn as tv_rpn
from torchvision.models.detection import transform as tv_transform

from torchvision.models.detection.backbone_utils import resnet_fpn_backbone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Scrl.Detection.Tests", "golden", "sparsercnn"))
import sparse_rcnn  # noqa: E402


def sparse_rcnn_r50_fpn(num_classes, min_size, max_size, proposals, **_):
    """The transcription of the authors' Sparse R-CNN on torchvision's ResNet-50-FPN and transform."""
    backbone = resnet_fpn_backbone(backbone_name="resnet50", weights=None, norm_layer=torch.nn.BatchNorm2d, trainable_layers=5)
    transform = tv_transform.GeneralizedRCNNTransform(min_size, max_size, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    return sparse_rcnn.SparseRCNN(backbone, transform, num_classes, proposals)


MODELS = {"faster-rcnn": (fasterrcnn_resnet50_fpn, "fasterrcnn_resnet50_fpn", 91),
          "retinanet": (retinanet_resnet50_fpn, "retinanet_resnet50_fpn", 91),
          "mask-rcnn": (maskrcnn_resnet50_fpn, "maskrcnn_resnet50_fpn", 91),
          "keypoint-rcnn": (keypointrcnn_resnet50_fpn, "keypointrcnn_resnet50_fpn", 2),
          "sparse-rcnn": (sparse_rcnn_r50_fpn, "sparse_rcnn_r50_fpn", 91)}


def ellipse_masks(boxes, height, width):
    """[G, H, W] uint8: the ellipse inscribed in each box, tested at pixel centres."""
    ys = torch.arange(height, dtype=torch.float32).view(1, -1, 1) + 0.5
    xs = torch.arange(width, dtype=torch.float32).view(1, 1, -1) + 0.5
    x1, y1, x2, y2 = (boxes[:, i].view(-1, 1, 1) for i in range(4))
    cx, cy, rx, ry = (x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / 2, (y2 - y1) / 2
    return (((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2 <= 1).to(torch.uint8)


def keypoint_pattern(boxes):
    """[G, 17, 3]: keypoint j at fractions (((7 j) mod 17 + 0.5) / 17, (j + 0.5) / 17) of each box, all visible."""
    j = torch.arange(17, dtype=torch.float32)
    fx, fy = ((7 * j) % 17 + 0.5) / 17, (j + 0.5) / 17
    x = boxes[:, 0:1] + (boxes[:, 2:3] - boxes[:, 0:1]) * fx
    y = boxes[:, 1:2] + (boxes[:, 3:4] - boxes[:, 1:2]) * fy
    return torch.stack([x, y, torch.full_like(x, 2.0)], dim=2)


def synthetic_batch(seed, detector):
    """Two fixed images (384x512 landscape, 512x384 portrait) with three boxes each, the same layout as the C# bench."""
    g = torch.Generator().manual_seed(seed)
    images = [torch.rand(3, 384, 512, generator=g), torch.rand(3, 512, 384, generator=g)]
    boxes = torch.tensor([[40.0, 30.0, 200.0, 220.0], [250.0, 60.0, 330.0, 160.0], [100.0, 200.0, 360.0, 350.0]])
    labels = torch.tensor([1, 1, 1]) if detector == "keypoint-rcnn" else torch.tensor([1, 5, 17])
    targets = [{"boxes": boxes.clone(), "labels": labels.clone()} for _ in images]
    targets[1]["boxes"] = boxes[:, [1, 0, 3, 2]].clone()  # transposed for the portrait image
    for image, target in zip(images, targets):
        if detector == "mask-rcnn":
            target["masks"] = ellipse_masks(target["boxes"], image.shape[1], image.shape[2])
        if detector == "keypoint-rcnn":
            target["keypoints"] = keypoint_pattern(target["boxes"])
    return images, targets


class Timed:
    """Wraps a function and sums its wall time; time() charges any other function to the same sum."""

    def __init__(self, fn):
        self.fn, self.seconds = fn, 0.0

    def __call__(self, *args, **kwargs):
        return self.time(self.fn, *args, **kwargs)

    def time(self, fn, *args, **kwargs):
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        self.seconds += time.perf_counter() - start
        return out


def report(model_name, mode, batch, size, flush, phases):
    """One JSON line with the keys of `scrl bench finetune`."""
    medians = {k: statistics.median(v) for k, v in phases.items()}
    step = medians.pop("step")
    print(json.dumps({
        "framework": f"pytorch {torch.__version__} (torchvision {torchvision.__version__})" + (" flush-denormal" if flush else ""),
        "model": model_name, "mode": mode, "batch": batch, "size": size, "threads": torch.get_num_threads(),
        "median_s": round(step, 4), "images_per_s": round(batch / step, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "nms_roi_align_share": round((medians["nms"] + medians["roi_align"]) / step, 4),
        **({"mask_paste_share": round(medians["mask_paste"] / step, 4)} if "mask_paste" in medians else {}),
        **({"matching_share": round(medians["matching"] / step, 4)} if "matching" in medians else {}),
        "breakdown_s": {k: round(v, 4) for k, v in medians.items()},
    }), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--detector", choices=sorted(MODELS), default="faster-rcnn")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--score-threshold", type=float, default=0.05,
                        help="box_score_thresh (score_thresh for RetinaNet); 0 keeps 100 detections per image even from random weights")
    parser.add_argument("--flush-denormal", action="store_true")
    parser.add_argument("--small-deltas", action="store_true",
                        help="scale the RPN's and box head's regression weights by 1e-3, so random weights propose and detect real boxes "
                             "(with --score-threshold 0: 100 detections per image, whose masks are pasted); save them with --save-init")
    parser.add_argument("--save-init", help="write the initial state dict here, for `scrl bench finetune --init`")
    parser.add_argument("--proposals", type=int, default=100, help="Sparse R-CNN's learnable proposals (100, or 300 in the paper's '*' setting)")
    args = parser.parse_args()
    sparse = args.detector == "sparse-rcnn"
    torch.set_num_threads(args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        raise SystemExit("this CPU cannot flush denormals")
    torch.manual_seed(0)
    build, model_name, num_classes = MODELS[args.detector]
    threshold = {"score_thresh" if args.detector == "retinanet" else "box_score_thresh": args.score_threshold}
    model = build(weights=None, weights_backbone=None, num_classes=num_classes, min_size=args.size, max_size=args.size,
                  proposals=args.proposals, **threshold) if sparse else \
        build(weights=None, weights_backbone=None, num_classes=num_classes, min_size=args.size, max_size=args.size, **threshold)
    if args.small_deltas:
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name.startswith(("rpn.head.bbox_pred.", "roi_heads.box_predictor.bbox_pred.")):
                    p.mul_(1e-3)
    if args.save_init:
        torch.save(model.state_dict(), args.save_init)
    images, targets = synthetic_batch(0, args.detector)

    # rpn, roi_heads and retinanet all call torchvision.ops.boxes.batched_nms through the same module object.
    nms = Timed(torchvision.ops.boxes.batched_nms)
    tv_rpn.box_ops.batched_nms = nms
    tv_roi_heads.box_ops.batched_nms = nms
    tv_retinanet.box_ops.batched_nms = nms
    align = Timed(lambda *a, **k: None)   # one timer for every RoI pool of the model
    for pool in ("box_roi_pool", "mask_roi_pool", "keypoint_roi_pool"):
        module = getattr(getattr(model, "roi_heads", None), pool, None)
        if module is not None:
            forward = module.forward
            module.forward = lambda *a, _f=forward, **k: align.time(_f, *a, **k)
    paste = Timed(tv_transform.paste_masks_in_image)
    tv_transform.paste_masks_in_image = paste
    matching = Timed(lambda *a, **k: None)
    if sparse:
        pooler, matcher = model.head.box_pooler, model.criterion.matcher
        model.head.box_pooler = lambda *a, _f=pooler, **k: align.time(_f, *a, **k)
        model.criterion.matcher = lambda *a, _f=matcher, **k: matching.time(_f, *a, **k)
        losses_of, detect = model.losses, model.detect
    else:
        losses_of, detect = model, model

    initial = copy.deepcopy(model.state_dict())   # inference times the initial weights, as the C# bench does
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=2.5e-5, weight_decay=1e-4) if sparse else torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
    model.train()
    phases = {k: [] for k in ("step", "forward", "backward", "optimizer", "nms", "roi_align") + (("matching",) if sparse else ())}
    for step in range(args.warmup + args.steps):
        nms.seconds = align.seconds = matching.seconds = 0.0
        start = time.perf_counter()
        losses = losses_of(images, targets)
        loss = sum(losses.values())
        forward = time.perf_counter()
        opt.zero_grad()
        loss.backward()
        backward = time.perf_counter()
        if sparse:
            torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        end = time.perf_counter()
        if step >= args.warmup:
            for k, v in (("step", end - start), ("forward", forward - start), ("backward", backward - forward),
                         ("optimizer", end - backward), ("nms", nms.seconds), ("roi_align", align.seconds)) + \
                    ((("matching", matching.seconds),) if sparse else ()):
                phases[k].append(v)
    report(model_name, "train", len(images), args.size, args.flush_denormal, phases)

    model.load_state_dict(initial)
    model.eval()
    phases = {k: [] for k in ("step", "nms", "roi_align") + (("mask_paste",) if args.detector == "mask-rcnn" else ())}
    with torch.no_grad():
        for step in range(args.warmup + args.passes):
            nms.seconds = align.seconds = paste.seconds = 0.0
            start = time.perf_counter()
            detect(images)
            if step >= args.warmup:
                phases["step"].append(time.perf_counter() - start)
                phases["nms"].append(nms.seconds)
                phases["roi_align"].append(align.seconds)
                if "mask_paste" in phases:
                    phases["mask_paste"].append(paste.seconds)
    report(model_name, "inference", len(images), args.size, args.flush_denormal, phases)


if __name__ == "__main__":
    main()
