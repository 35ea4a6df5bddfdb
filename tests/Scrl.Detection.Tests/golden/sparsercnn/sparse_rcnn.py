"""Sparse R-CNN (Sun et al., CVPR 2021) in plain PyTorch: a transcription of the authors' code.

Written from PeizeSun/SparseR-CNN (projects/SparseRCNN/sparsercnn: head.py DynamicHead, RCNNHead, DynamicConv;
loss.py SetCriterion, HungarianMatcher with use_focal; detector.py SparseRCNN.forward and inference), with the
detectron2 pieces it calls written out: ROIPooler (ROIAlignV2 = torchvision roi_align with aligned=True, levels by
floor(4 + log2(sqrt(area) / 224 + 1e-8)) clamped to P2..P5), Box2BoxTransform.apply_deltas, generalized_box_iou
and sigmoid_focal_loss. The backbone is torchvision's ResNet-50-FPN and GeneralizedRCNNTransform (ImageNet RGB
normalisation, the same resize and padding to 32), as every other detector here; the authors' detectron2 backbone
differs only in its BGR pixel format and MSRA weights.

Shared by make_sparsercnn.py (goldens) and bench/pytorch_detector_step.py (the speed reference).
"""
import math

import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment
from torch import nn
from torchvision.ops import roi_align
from torchvision.ops.boxes import box_area

_DEFAULT_SCALE_CLAMP = math.log(100000.0 / 16)


def box_cxcywh_to_xyxy(x):
    x_c, y_c, w, h = x.unbind(-1)
    return torch.stack([x_c - 0.5 * w, y_c - 0.5 * h, x_c + 0.5 * w, y_c + 0.5 * h], dim=-1)


def box_iou(boxes1, boxes2):
    area1, area2 = box_area(boxes1), box_area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[:, :, 0] * wh[:, :, 1]
    union = area1[:, None] + area2 - inter
    return inter / union, union


def generalized_box_iou(boxes1, boxes2):
    """util/box_ops.py of the authors (from DETR)."""
    assert (boxes1[:, 2:] >= boxes1[:, :2]).all()
    assert (boxes2[:, 2:] >= boxes2[:, :2]).all()
    iou, union = box_iou(boxes1, boxes2)
    lt = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = (rb - lt).clamp(min=0)
    area = wh[:, :, 0] * wh[:, :, 1]
    return iou - (area - union) / area


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0):
    """fvcore's sigmoid_focal_loss with reduction 'sum'."""
    p = torch.sigmoid(inputs)
    ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (alpha_t * loss).sum()


class RoiPooler:
    """detectron2 ROIPooler(output 7, scales 1/4..1/32, sampling ratio 2, ROIAlignV2)."""

    def __init__(self, output_size=7, sampling_ratio=2, min_level=2, max_level=5):
        self.output_size, self.sampling_ratio = output_size, sampling_ratio
        self.min_level, self.max_level = min_level, max_level

    def __call__(self, features, boxes_per_image):
        rois = torch.cat([torch.cat([torch.full((len(b), 1), i, dtype=b.dtype), b], 1) for i, b in enumerate(boxes_per_image)])
        sizes = torch.sqrt(torch.cat([box_area(b) for b in boxes_per_image]))
        levels = torch.floor(4 + torch.log2(sizes / 224 + 1e-8)).clamp(self.min_level, self.max_level).to(torch.int64) - self.min_level
        out = torch.zeros(len(rois), features[0].shape[1], self.output_size, self.output_size, dtype=features[0].dtype)
        for level, x in enumerate(features):
            inds = torch.nonzero(levels == level, as_tuple=True)[0]
            scale = 1.0 / 2 ** (level + self.min_level)
            out[inds] = roi_align(x, rois[inds], self.output_size, spatial_scale=scale,
                                  sampling_ratio=self.sampling_ratio, aligned=True)
        return out


class DynamicConv(nn.Module):
    def __init__(self, hidden_dim=256, dim_dynamic=64, num_dynamic=2, pooler_resolution=7):
        super().__init__()
        self.hidden_dim, self.dim_dynamic, self.num_dynamic = hidden_dim, dim_dynamic, num_dynamic
        self.num_params = hidden_dim * dim_dynamic
        self.dynamic_layer = nn.Linear(hidden_dim, num_dynamic * self.num_params)
        self.norm1 = nn.LayerNorm(dim_dynamic)
        self.norm2 = nn.LayerNorm(hidden_dim)
        self.activation = nn.ReLU(inplace=True)
        self.out_layer = nn.Linear(hidden_dim * pooler_resolution ** 2, hidden_dim)
        self.norm3 = nn.LayerNorm(hidden_dim)

    def forward(self, pro_features, roi_features):
        """pro_features (1, N * nr_boxes, d); roi_features (49, N * nr_boxes, d)."""
        features = roi_features.permute(1, 0, 2)
        parameters = self.dynamic_layer(pro_features).permute(1, 0, 2)
        param1 = parameters[:, :, :self.num_params].view(-1, self.hidden_dim, self.dim_dynamic)
        param2 = parameters[:, :, self.num_params:].view(-1, self.dim_dynamic, self.hidden_dim)
        features = self.activation(self.norm1(torch.bmm(features, param1)))
        features = self.activation(self.norm2(torch.bmm(features, param2)))
        features = features.flatten(1)
        return self.activation(self.norm3(self.out_layer(features)))


class RCNNHead(nn.Module):
    def __init__(self, num_classes, d_model=256, dim_feedforward=2048, nhead=8, dropout=0.0, num_cls=1, num_reg=3,
                 scale_clamp=_DEFAULT_SCALE_CLAMP, bbox_weights=(2.0, 2.0, 1.0, 1.0), dim_dynamic=64, num_dynamic=2):
        super().__init__()
        self.d_model = d_model
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.inst_interact = DynamicConv(d_model, dim_dynamic, num_dynamic)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout1, self.dropout2, self.dropout3 = nn.Dropout(dropout), nn.Dropout(dropout), nn.Dropout(dropout)
        self.activation = nn.ReLU()
        cls_module = []
        for _ in range(num_cls):
            cls_module += [nn.Linear(d_model, d_model, False), nn.LayerNorm(d_model), nn.ReLU(inplace=True)]
        self.cls_module = nn.ModuleList(cls_module)
        reg_module = []
        for _ in range(num_reg):
            reg_module += [nn.Linear(d_model, d_model, False), nn.LayerNorm(d_model), nn.ReLU(inplace=True)]
        self.reg_module = nn.ModuleList(reg_module)
        self.class_logits = nn.Linear(d_model, num_classes)
        self.bboxes_delta = nn.Linear(d_model, 4)
        self.scale_clamp, self.bbox_weights = scale_clamp, bbox_weights

    def forward(self, features, bboxes, pro_features, pooler):
        """bboxes (N, nr_boxes, 4) xyxy; pro_features (1, N * nr_boxes, d) with image-major order."""
        N, nr_boxes = bboxes.shape[:2]
        roi_features = pooler(features, [bboxes[b] for b in range(N)])
        roi_features = roi_features.view(N * nr_boxes, self.d_model, -1).permute(2, 0, 1)

        pro_features = pro_features.view(N, nr_boxes, self.d_model).permute(1, 0, 2)
        pro_features2 = self.self_attn(pro_features, pro_features, value=pro_features)[0]
        pro_features = self.norm1(pro_features + self.dropout1(pro_features2))

        pro_features = pro_features.view(nr_boxes, N, self.d_model).permute(1, 0, 2).reshape(1, N * nr_boxes, self.d_model)
        pro_features2 = self.inst_interact(pro_features, roi_features)
        obj_features = self.norm2(pro_features + self.dropout2(pro_features2))

        obj_features2 = self.linear2(self.dropout(self.activation(self.linear1(obj_features))))
        obj_features = self.norm3(obj_features + self.dropout3(obj_features2))

        fc_feature = obj_features.transpose(0, 1).reshape(N * nr_boxes, -1)
        cls_feature, reg_feature = fc_feature.clone(), fc_feature.clone()
        for layer in self.cls_module:
            cls_feature = layer(cls_feature)
        for layer in self.reg_module:
            reg_feature = layer(reg_feature)
        class_logits = self.class_logits(cls_feature)
        bboxes_deltas = self.bboxes_delta(reg_feature)
        pred_bboxes = self.apply_deltas(bboxes_deltas, bboxes.view(-1, 4))
        return class_logits.view(N, nr_boxes, -1), pred_bboxes.view(N, nr_boxes, -1), obj_features

    def apply_deltas(self, deltas, boxes):
        boxes = boxes.to(deltas.dtype)
        widths = boxes[:, 2] - boxes[:, 0]
        heights = boxes[:, 3] - boxes[:, 1]
        ctr_x = boxes[:, 0] + 0.5 * widths
        ctr_y = boxes[:, 1] + 0.5 * heights
        wx, wy, ww, wh = self.bbox_weights
        dx, dy = deltas[:, 0::4] / wx, deltas[:, 1::4] / wy
        dw = torch.clamp(deltas[:, 2::4] / ww, max=self.scale_clamp)
        dh = torch.clamp(deltas[:, 3::4] / wh, max=self.scale_clamp)
        pred_ctr_x = dx * widths[:, None] + ctr_x[:, None]
        pred_ctr_y = dy * heights[:, None] + ctr_y[:, None]
        pred_w = torch.exp(dw) * widths[:, None]
        pred_h = torch.exp(dh) * heights[:, None]
        pred = torch.zeros_like(deltas)
        pred[:, 0::4] = pred_ctr_x - 0.5 * pred_w
        pred[:, 1::4] = pred_ctr_y - 0.5 * pred_h
        pred[:, 2::4] = pred_ctr_x + 0.5 * pred_w
        pred[:, 3::4] = pred_ctr_y + 0.5 * pred_h
        return pred


class DynamicHead(nn.Module):
    def __init__(self, num_classes, num_heads=6, prior_prob=0.01, **head_args):
        super().__init__()
        self.box_pooler = RoiPooler()
        self.head_series = nn.ModuleList([RCNNHead(num_classes, **head_args) for _ in range(num_heads)])
        self.num_classes = num_classes
        bias_value = -math.log((1 - prior_prob) / prior_prob)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
            if p.shape[-1] == num_classes:
                nn.init.constant_(p, bias_value)

    def forward(self, features, init_bboxes, init_features):
        inter_class_logits, inter_pred_bboxes = [], []
        bs = len(features[0])
        bboxes = init_bboxes
        proposal_features = init_features[None].repeat(1, bs, 1).clone()
        for rcnn_head in self.head_series:
            class_logits, pred_bboxes, proposal_features = rcnn_head(features, bboxes, proposal_features, self.box_pooler)
            inter_class_logits.append(class_logits)
            inter_pred_bboxes.append(pred_bboxes)
            bboxes = pred_bboxes.detach()
        return torch.stack(inter_class_logits), torch.stack(inter_pred_bboxes)


class HungarianMatcher:
    """loss.py HungarianMatcher with use_focal: cost = 2 focal + 5 L1 (boxes / image size) + 2 (-GIoU)."""

    def __init__(self, cost_class=2.0, cost_bbox=5.0, cost_giou=2.0, alpha=0.25, gamma=2.0):
        self.cost_class, self.cost_bbox, self.cost_giou = cost_class, cost_bbox, cost_giou
        self.alpha, self.gamma = alpha, gamma

    @torch.no_grad()
    def __call__(self, outputs, targets):
        bs, num_queries = outputs["pred_logits"].shape[:2]
        out_prob = outputs["pred_logits"].flatten(0, 1).sigmoid()
        out_bbox = outputs["pred_boxes"].flatten(0, 1)
        tgt_ids = torch.cat([v["labels"] for v in targets])
        tgt_bbox = torch.cat([v["boxes_xyxy"] for v in targets])
        neg_cost_class = (1 - self.alpha) * (out_prob ** self.gamma) * (-(1 - out_prob + 1e-8).log())
        pos_cost_class = self.alpha * ((1 - out_prob) ** self.gamma) * (-(out_prob + 1e-8).log())
        cost_class = pos_cost_class[:, tgt_ids] - neg_cost_class[:, tgt_ids]
        image_size_out = torch.cat([v["image_size_xyxy"].unsqueeze(0) for v in targets])
        image_size_out = image_size_out.unsqueeze(1).repeat(1, num_queries, 1).flatten(0, 1)
        image_size_tgt = torch.cat([v["image_size_xyxy_tgt"] for v in targets])
        cost_bbox = torch.cdist(out_bbox / image_size_out, tgt_bbox / image_size_tgt, p=1)
        cost_giou = -generalized_box_iou(out_bbox, tgt_bbox)
        C = self.cost_bbox * cost_bbox + self.cost_class * cost_class + self.cost_giou * cost_giou
        C = C.view(bs, num_queries, -1).cpu()
        sizes = [len(v["boxes_xyxy"]) for v in targets]
        indices = [linear_sum_assignment(c[i]) for i, c in enumerate(C.split(sizes, -1))]
        return [(torch.as_tensor(i, dtype=torch.int64), torch.as_tensor(j, dtype=torch.int64)) for i, j in indices], C


class SetCriterion:
    """loss.py SetCriterion (losses 'labels' and 'boxes', focal), deep supervision over every stage."""

    def __init__(self, num_classes, matcher, weights=(2.0, 5.0, 2.0), alpha=0.25, gamma=2.0):
        self.num_classes, self.matcher = num_classes, matcher
        self.weight_dict = {"loss_ce": weights[0], "loss_bbox": weights[1], "loss_giou": weights[2]}
        self.alpha, self.gamma = alpha, gamma

    def stage_losses(self, outputs, targets, num_boxes):
        indices, cost = self.matcher(outputs, targets)
        batch_idx = torch.cat([torch.full_like(src, i) for i, (src, _) in enumerate(indices)])
        src_idx = torch.cat([src for (src, _) in indices])
        src_logits = outputs["pred_logits"]
        target_classes_o = torch.cat([t["labels"][J] for t, (_, J) in zip(targets, indices)])
        target_classes = torch.full(src_logits.shape[:2], self.num_classes, dtype=torch.int64)
        target_classes[batch_idx, src_idx] = target_classes_o
        src_logits = src_logits.flatten(0, 1)
        target_classes = target_classes.flatten(0, 1)
        pos_inds = torch.nonzero(target_classes != self.num_classes, as_tuple=True)[0]
        labels = torch.zeros_like(src_logits)
        labels[pos_inds, target_classes[pos_inds]] = 1
        loss_ce = sigmoid_focal_loss(src_logits, labels, self.alpha, self.gamma) / num_boxes

        src_boxes = outputs["pred_boxes"][batch_idx, src_idx]
        target_boxes = torch.cat([t["boxes_xyxy"][i] for t, (_, i) in zip(targets, indices)])
        loss_giou = (1 - torch.diag(generalized_box_iou(src_boxes, target_boxes))).sum() / num_boxes
        image_size = torch.cat([v["image_size_xyxy_tgt"] for v in targets])
        loss_bbox = F.l1_loss(src_boxes / image_size, target_boxes / image_size, reduction="none").sum() / num_boxes
        return {"loss_ce": loss_ce, "loss_bbox": loss_bbox, "loss_giou": loss_giou}, indices, cost

    def __call__(self, class_logits, pred_boxes, targets):
        """class_logits (S, N, P, K), pred_boxes (S, N, P, 4): every stage; the last is the output, the rest aux."""
        num_boxes = max(float(sum(len(t["labels"]) for t in targets)), 1.0)
        losses, assignments = {}, []
        stages = class_logits.shape[0]
        for s in range(stages):
            terms, indices, cost = self.stage_losses({"pred_logits": class_logits[s], "pred_boxes": pred_boxes[s]}, targets, num_boxes)
            suffix = "" if s == stages - 1 else f"_{s}"
            for k, v in terms.items():
                losses[k + suffix] = v * self.weight_dict[k]
            assignments.append((indices, cost))
        return losses, assignments


def targets_for(boxes, labels, image_sizes):
    """prepare_targets of detector.py: boxes in resized-image pixels; image_size_xyxy = (w, h, w, h) unpadded."""
    out = []
    for b, l, (h, w) in zip(boxes, labels, image_sizes):
        whwh = torch.tensor([w, h, w, h], dtype=torch.float32)
        out.append({"labels": l, "boxes_xyxy": b, "image_size_xyxy": whwh, "image_size_xyxy_tgt": whwh.unsqueeze(0).repeat(len(b), 1)})
    return out


class SparseRCNN(nn.Module):
    """detector.py SparseRCNN on torchvision's ResNet-50-FPN and GeneralizedRCNNTransform (P2..P5 pooled)."""

    def __init__(self, backbone, transform, num_classes, num_proposals=100, hidden_dim=256, num_heads=6):
        super().__init__()
        self.backbone, self.transform = backbone, transform
        self.num_classes, self.num_proposals = num_classes, num_proposals
        self.init_proposal_features = nn.Embedding(num_proposals, hidden_dim)
        self.init_proposal_boxes = nn.Embedding(num_proposals, 4)
        nn.init.constant_(self.init_proposal_boxes.weight[:, :2], 0.5)
        nn.init.constant_(self.init_proposal_boxes.weight[:, 2:], 1.0)
        self.head = DynamicHead(num_classes, num_heads)
        self.criterion = SetCriterion(num_classes, HungarianMatcher())

    def heads(self, images, targets=None):
        batch, targets = self.transform(images, targets)
        features = list(self.backbone(batch.tensors).values())[:4]
        whwh = torch.tensor([[w, h, w, h] for h, w in batch.image_sizes], dtype=torch.float32)
        proposal_boxes = box_cxcywh_to_xyxy(self.init_proposal_boxes.weight.clone())[None] * whwh[:, None, :]
        logits, boxes = self.head(features, proposal_boxes, self.init_proposal_features.weight)
        return batch, targets, logits, boxes

    def losses(self, images, targets):
        batch, targets, logits, boxes = self.heads(images, targets)
        prepared = targets_for([t["boxes"] for t in targets], [t["labels"] for t in targets], batch.image_sizes)
        return self.criterion(logits, boxes, prepared)[0]

    def detect(self, images, detections_per_image=100):
        original_sizes = [img.shape[-2:] for img in images]
        batch, _, logits, boxes = self.heads(images)
        scores = torch.sigmoid(logits[-1])
        labels = torch.arange(self.num_classes).unsqueeze(0).repeat(self.num_proposals, 1).flatten(0, 1)
        results = []
        for s, b in zip(scores, boxes[-1]):
            top, idx = s.flatten(0, 1).topk(min(detections_per_image, s.numel()), sorted=False)
            results.append({"scores": top, "labels": labels[idx],
                            "boxes": b.view(-1, 1, 4).repeat(1, self.num_classes, 1).view(-1, 4)[idx]})
        results = self.transform.postprocess(results, batch.image_sizes, original_sizes)
        # detectron2's detector_postprocess: boxes clipped to the image, empty ones dropped.
        for r, (h, w) in zip(results, original_sizes):
            r["boxes"][:, 0::2] = r["boxes"][:, 0::2].clamp(0, w)
            r["boxes"][:, 1::2] = r["boxes"][:, 1::2].clamp(0, h)
            keep = (r["boxes"][:, 2] > r["boxes"][:, 0]) & (r["boxes"][:, 3] > r["boxes"][:, 1])
            for k in ("boxes", "scores", "labels"):
                r[k] = r[k][keep]
        return results
