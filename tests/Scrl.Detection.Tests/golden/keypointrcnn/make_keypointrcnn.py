"""Keypoint R-CNN R50-FPN oracle: torchvision 0.14 keypointrcnn_resnet50_fpn with name-hashed weights.

  keys OUT.txt       state-dict keys and shapes ("tag name d0,d1,..." per line), BatchNorm and FrozenBatchNorm
                     bodies; committed as state_dict_keys.txt.
  parity OUT.pt WEIGHTS.pt
                     run at test time (nothing big is committed): eval detections with keypoints and keypoint
                     scores for two images, train-mode losses with sampling made deterministic (quotas larger
                     than the candidate sets, so every anchor/proposal is taken) and ground-truth keypoints that
                     hit every case of keypoints_to_heatmap (outside the box, on its right/bottom edge,
                     invisible), and on their own keypoints_to_heatmap and heatmaps_to_keypoints on crafted
                     inputs; WEIGHTS.pt is the model's state dict (~240 MB, for the strict-load check).
Weights come from hashed_init.py (same values as Scrl.Core.Tests/Support/HashedInit.cs).
Run with Debian's PyTorch 1.13 / torchvision 0.14: python3 make_keypointrcnn.py parity OUT.pt WEIGHTS.pt
"""
import os
import sys

import torch
from torchvision.models import resnet50
from torchvision.models.detection import keypointrcnn_resnet50_fpn
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.models.detection.keypoint_rcnn import KeypointRCNN
from torchvision.models.detection.roi_heads import heatmaps_to_keypoints, keypoints_to_heatmap
from torchvision.ops import misc as misc_nn_ops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import detection_oracle  # noqa: E402  (puts hashed_init on the path)
from hashed_init import uniform, values  # noqa: E402

torch.set_num_threads(2)


def write_keys(path):
    plain = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    frozen = KeypointRCNN(_resnet_fpn_extractor(resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d), 3), 2)
    detection_oracle.write_keys(path, (("batchnorm", plain), ("frozen", frozen)))


# Hashed weights leave the random backbone's features in the hundreds; these layers are scaled so that class
# logits and box deltas are O(1), as with trained weights (C# applies the same factors): make_fasterrcnn.py's
# factors. Class probabilities then stay near 0.5, so every image keeps its 100 detections above
# box_score_thresh=0.05. The heatmap logits are left as they are: in train mode, where BatchNorm normalises the
# backbone, they spread over tens of units, so the keypoint loss (23) is far from its uniform value log(56 * 56) (8).
PREDICTION_SCALES = {
    "rpn.head.cls_logits.weight": 1e-3,
    "rpn.head.bbox_pred.weight": 1e-4,
    "roi_heads.box_head.fc6.weight": 1e-2,
    "roi_heads.box_predictor.cls_score.weight": 1e-1,
    "roi_heads.box_predictor.bbox_pred.weight": 1e-2,
}


def build():
    """The 512-wide keypoint tower costs ~0.3 s per RoI on one core: 10 detections per image and 200 training
    proposals keep the script (and the C# side) within a minute, every code path still taken."""
    model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512,
                                      box_detections_per_img=10, rpn_post_nms_top_n_train=200)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(values(name, tuple(p.shape), p.dtype) * PREDICTION_SCALES.get(name, 1.0))
    return model


def keypoints(name, boxes, num_keypoints=17):
    """Hashed keypoints around each box (some fall outside it), visibility 0, 1 or 2; the first keypoint of every
    box sits on its right edge and the second on its bottom edge, keypoints_to_heatmap's boundary cases."""
    g = boxes.shape[0]
    u = torch.from_numpy(uniform(name, g * num_keypoints * 3).reshape(g, num_keypoints, 3)).float()
    x1, y1, x2, y2 = (boxes[:, i:i + 1] for i in range(4))
    x = x1 + (u[..., 0] * 0.6 + 0.5) * (x2 - x1)               # [G, J], 10% beyond either side
    y = y1 + (u[..., 1] * 0.6 + 0.5) * (y2 - y1)
    v = ((u[..., 2] + 1) * 1.5).floor().clamp(0, 2)             # 0, 1, 2
    x[:, 0] = boxes[:, 2]
    y[:, 1] = boxes[:, 3]
    v[:, :2] = 2
    return torch.stack([x, y, v], -1)


def heatmap_cases(out):
    """keypoints_to_heatmap on boxes with non-integer corners: floor of negative offsets, the right/bottom edge,
    just inside and beyond it, invisible points."""
    rois = torch.tensor([[10.3, 20.7, 60.1, 95.9], [0.0, 0.0, 56.0, 28.0], [5.5, 5.5, 6.25, 300.0]])
    u = torch.from_numpy(uniform("heatmap.keypoints", 3 * 9 * 2).reshape(3, 9, 2)).float()
    w = (rois[:, 2] - rois[:, 0])[:, None]
    h = (rois[:, 3] - rois[:, 1])[:, None]
    x = rois[:, 0:1] + (u[..., 0] * 0.7 + 0.5) * w
    y = rois[:, 1:2] + (u[..., 1] * 0.7 + 0.5) * h
    x[:, 0], y[:, 1] = rois[:, 2], rois[:, 3]
    x[:, 2] = rois[:, 2] - 1e-4
    x[:, 3] = rois[:, 2] + 1e-4
    x[:, 4] = rois[:, 0] - 1e-4
    v = torch.full((3, 9), 2.0)
    v[:, 5] = 0
    v[:, 6] = 1
    kp = torch.stack([x, y, v], -1)
    heatmaps, valid = keypoints_to_heatmap(kp, rois, 56)
    out["heatmap.keypoints"] = kp
    out["heatmap.rois"] = rois
    out["heatmap.targets"] = heatmaps
    out["heatmap.valid"] = valid


def decode_cases(out):
    """heatmaps_to_keypoints on hashed maps: fractional, tiny (clamped to 1 px) and large boxes."""
    rois = torch.tensor([[3.2, 4.7, 80.9, 61.3], [100.0, 50.0, 100.4, 50.2], [0.0, 0.0, 250.5, 120.0]])
    maps = torch.from_numpy(uniform("decode.maps", 3 * 5 * 56 * 56).reshape(3, 5, 56, 56) * 4.0).float()
    xy, scores = heatmaps_to_keypoints(maps, rois)
    out["decode.maps"] = maps
    out["decode.rois"] = rois
    out["decode.keypoints"] = xy
    out["decode.scores"] = scores


def write_parity(path, weights_path):
    model = build()
    torch.save(model.state_dict(), weights_path)
    images = [detection_oracle.image("image0", 240, 320), detection_oracle.image("image1", 200, 300)]
    out = {"image.0": images[0], "image.1": images[1]}

    model.eval()
    with torch.no_grad():
        detections = model(images)
    for i, d in enumerate(detections):
        for key in ("boxes", "scores", "labels", "keypoints", "keypoints_scores"):
            out[f"{key}.{i}"] = d[key]

    # Train mode: every candidate is sampled, so the losses are deterministic.
    model.rpn.fg_bg_sampler.batch_size_per_image = 10 ** 7
    model.roi_heads.fg_bg_sampler.batch_size_per_image = 10 ** 7
    boxes = [torch.tensor([[20.0, 30.0, 150.0, 200.0], [160.0, 40.0, 300.0, 120.0]]), torch.tensor([[50.0, 20.0, 120.0, 90.0]])]
    labels = [torch.tensor([1, 1]), torch.tensor([1])]
    targets = [{"boxes": b, "labels": l, "keypoints": keypoints(f"target_keypoints.{i}", b)} for i, (b, l) in enumerate(zip(boxes, labels))]
    for i, t in enumerate(targets):
        out[f"target_boxes.{i}"] = t["boxes"]
        out[f"target_labels.{i}"] = t["labels"]
        out[f"target_keypoints.{i}"] = t["keypoints"]
    model.train()
    losses = model(images, targets)
    for k, v in losses.items():
        out[f"loss.{k}"] = v.detach().reshape(1)

    heatmap_cases(out)
    decode_cases(out)
    torch.save({k: v.contiguous() for k, v in out.items()}, path)   # TorchSharp reads contiguous tensors only


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    write_keys(target) if mode == "keys" else write_parity(target, sys.argv[3])
