"""Mask R-CNN R50-FPN oracle: torchvision 0.14 maskrcnn_resnet50_fpn with name-hashed weights.

  keys OUT.txt       state-dict keys and shapes ("tag name d0,d1,..." per line), BatchNorm and FrozenBatchNorm
                     bodies; committed as state_dict_keys.txt.
  parity OUT.pt WEIGHTS.pt
                     run at test time (nothing big is committed): eval detections for two images with their
                     28x28 mask probabilities (before pasting) and the masks pasted into the original images, and
                     train-mode losses on instance masks with sampling made deterministic (quotas larger than the
                     candidate sets, so every anchor/proposal is taken), and paste_masks_in_image on crafted
                     boxes; WEIGHTS.pt is the model's state dict (~180 MB, for the strict-load check).
Weights come from hashed_init.py (same values as Scrl.Core.Tests/Support/HashedInit.cs).
Run with Debian's PyTorch 1.13 / torchvision 0.14 (the system python3): python3 make_maskrcnn.py parity OUT.pt WEIGHTS.pt
"""
import os
import sys

import torch
from torchvision.models import resnet50
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.models.detection.mask_rcnn import MaskRCNN
from torchvision.models.detection.roi_heads import paste_masks_in_image
from torchvision.ops import misc as misc_nn_ops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import detection_oracle  # noqa: E402  (puts hashed_init on the path)
from hashed_init import uniform, values  # noqa: E402

torch.set_num_threads(2)


def write_keys(path):
    plain = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    frozen = MaskRCNN(_resnet_fpn_extractor(resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d), 3), 91)
    detection_oracle.write_keys(path, (("batchnorm", plain), ("frozen", frozen)))


# Hashed weights leave the random backbone's features in the hundreds; these layers are scaled so that logits,
# box deltas and mask logits are O(1), as with trained weights (C# applies the same factors). The box-branch
# factors are make_fasterrcnn.py's.
PREDICTION_SCALES = {
    "rpn.head.cls_logits.weight": 1e-3,
    "rpn.head.bbox_pred.weight": 1e-4,
    "roi_heads.box_head.fc6.weight": 1e-2,
    "roi_heads.box_predictor.cls_score.weight": 1e-1,
    "roi_heads.box_predictor.bbox_pred.weight": 1e-2,
    "roi_heads.mask_predictor.mask_fcn_logits.weight": 1e-3,
}


def build():
    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512,
                                  box_score_thresh=0.0, box_detections_per_img=50)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(values(name, tuple(p.shape), p.dtype) * PREDICTION_SCALES.get(name, 1.0))
    return model


def ellipse(h, w, box):
    """[h, w] uint8 instance mask: the ellipse inscribed in box (x1, y1, x2, y2), pixel centres tested."""
    x1, y1, x2, y2 = box
    yy, xx = torch.meshgrid(torch.arange(h) + 0.5, torch.arange(w) + 0.5, indexing="ij")
    cx, cy, rx, ry = (x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / 2, (y2 - y1) / 2
    return ((((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2) <= 1).to(torch.uint8)


def paste_cases(out):
    """paste_masks_in_image on its own, into a 240x320 image: boxes inside, across every border, covering the
    image, thinner than a pixel, degenerate, and both smaller (downsampling) and larger (upsampling) than 30 px."""
    boxes = torch.tensor([
        [40.0, 30.0, 200.0, 180.0],
        [-15.5, -8.25, 60.0, 45.0],
        [250.3, 190.7, 340.0, 260.0],
        [0.0, 0.0, 320.0, 240.0],
        [100.2, 100.7, 100.9, 101.4],
        [60.0, 70.0, 60.0, 70.0],
        [10.6, 150.1, 22.9, 161.8],
        [280.0, 5.0, 319.99, 230.0],
    ])
    masks = torch.from_numpy(uniform("paste.masks", len(boxes) * 28 * 28).reshape(len(boxes), 1, 28, 28) * 0.5 + 0.5).float()
    out["paste.boxes"] = boxes
    out["paste.masks"] = masks
    out["paste.result"] = paste_masks_in_image(masks, boxes, (240, 320))


def write_parity(path, weights_path):
    model = build()
    torch.save(model.state_dict(), weights_path)
    images = [detection_oracle.image("image0", 240, 320), detection_oracle.image("image1", 200, 300)]
    out = {"image.0": images[0], "image.1": images[1]}

    model.eval()
    with torch.no_grad():
        tx, _ = model.transform(images)
        features = model.backbone(tx.tensors)
        proposals, _ = model.rpn(tx, features)
        resized, _ = model.roi_heads(features, proposals, tx.image_sizes)
        mask_probs = [r["masks"] for r in resized]   # [D, 1, 28, 28] before pasting
        # GeneralizedRCNN.forward's last step (postprocess replaces each dict's boxes and masks).
        detections = model.transform.postprocess(resized, tx.image_sizes, [img.shape[-2:] for img in images])
    out["image_sizes"] = torch.tensor(tx.image_sizes)
    for i, d in enumerate(detections):
        out[f"boxes.{i}"] = d["boxes"]
        out[f"scores.{i}"] = d["scores"]
        out[f"labels.{i}"] = d["labels"]
        out[f"mask_probs.{i}"] = mask_probs[i].clone()   # a split view: PyTorchUnpickler needs its own storage
        out[f"masks.{i}"] = d["masks"]               # [D, 1, H, W] pasted into the original image

    # Train mode: every candidate is sampled, so the losses are deterministic. Each box carries an inscribed
    # ellipse as its instance mask (uint8, original image pixels).
    model.rpn.fg_bg_sampler.batch_size_per_image = 10 ** 7
    model.roi_heads.fg_bg_sampler.batch_size_per_image = 10 ** 7
    boxes = [[[20.0, 30.0, 150.0, 200.0], [160.0, 40.0, 300.0, 120.0]], [[50.0, 20.0, 120.0, 90.0]]]
    labels = [[3, 17], [1]]
    targets = []
    for i, (b, l) in enumerate(zip(boxes, labels)):
        h, w = images[i].shape[1:]
        t = {"boxes": torch.tensor(b), "labels": torch.tensor(l), "masks": torch.stack([ellipse(h, w, box) for box in b])}
        targets.append(t)
        out[f"target_boxes.{i}"] = t["boxes"]
        out[f"target_labels.{i}"] = t["labels"]
        out[f"target_masks.{i}"] = t["masks"]
    model.train()
    losses = model(images, targets)
    for k, v in losses.items():
        out[f"loss.{k}"] = v.detach().reshape(1)
    paste_cases(out)
    torch.save(out, path)


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    write_keys(target) if mode == "keys" else write_parity(target, sys.argv[3])
