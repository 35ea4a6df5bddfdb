#!/usr/bin/env python3
"""Golden for VocEvaluator: detectron2's PascalVOCDetectionEvaluator on a synthetic VOC-like set.

PyTorch-free (numpy + json). voc_ap / voc_eval below are copied from facebookresearch/detectron2
detectron2/evaluation/pascal_voc_evaluation.py with one change: they read ground truth records and detection
lines from memory instead of XML / text files. The detection lines are formatted exactly as the evaluator's
process() writes them (x1, y1 shifted by +1; score %.3f; coordinates %.1f), so the C# side must reproduce that
text round trip too.

Run: /usr/bin/python3 make_voc.py --out voc-synthetic.json   (fixed seed, byte-reproducible)
"""
import argparse
import json
from collections import defaultdict

import numpy as np

CLASSES = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow"]


# ---- detectron2 pascal_voc_evaluation.py (verbatim but for the in-memory inputs) ----
def voc_ap(rec, prec, use_07_metric=False):
    if use_07_metric:
        # 11 point metric
        ap = 0.0
        for t in np.arange(0.0, 1.1, 0.1):
            if np.sum(rec >= t) == 0:
                p = 0
            else:
                p = np.max(prec[rec >= t])
            ap = ap + p / 11.0
    else:
        # correct AP calculation
        # first append sentinel values at the end
        mrec = np.concatenate(([0.0], rec, [1.0]))
        mpre = np.concatenate(([0.0], prec, [0.0]))

        # compute the precision envelope
        for i in range(mpre.size - 1, 0, -1):
            mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])

        # to calculate area under PR curve, look for points
        # where X axis (recall) changes value
        i = np.where(mrec[1:] != mrec[:-1])[0]

        # and sum (\Delta recall) * prec
        ap = np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])
    return ap


def voc_eval(det_lines, recs, imagenames, classname, ovthresh=0.5, use_07_metric=False):
    # extract gt objects for this class
    class_recs = {}
    npos = 0
    for imagename in imagenames:
        R = [obj for obj in recs[imagename] if obj["name"] == classname]
        bbox = np.array([x["bbox"] for x in R])
        difficult = np.array([x["difficult"] for x in R]).astype(bool)
        det = [False] * len(R)
        npos = npos + sum(~difficult)
        class_recs[imagename] = {"bbox": bbox, "difficult": difficult, "det": det}

    # read dets
    lines = det_lines
    splitlines = [x.strip().split(" ") for x in lines]
    image_ids = [x[0] for x in splitlines]
    confidence = np.array([float(x[1]) for x in splitlines])
    BB = np.array([[float(z) for z in x[2:]] for x in splitlines]).reshape(-1, 4)

    # sort by confidence
    sorted_ind = np.argsort(-confidence)
    BB = BB[sorted_ind, :]
    image_ids = [image_ids[x] for x in sorted_ind]

    # go down dets and mark TPs and FPs
    nd = len(image_ids)
    tp = np.zeros(nd)
    fp = np.zeros(nd)
    for d in range(nd):
        R = class_recs[image_ids[d]]
        bb = BB[d, :].astype(float)
        ovmax = -np.inf
        BBGT = R["bbox"].astype(float)

        if BBGT.size > 0:
            # compute overlaps
            # intersection
            ixmin = np.maximum(BBGT[:, 0], bb[0])
            iymin = np.maximum(BBGT[:, 1], bb[1])
            ixmax = np.minimum(BBGT[:, 2], bb[2])
            iymax = np.minimum(BBGT[:, 3], bb[3])
            iw = np.maximum(ixmax - ixmin + 1.0, 0.0)
            ih = np.maximum(iymax - iymin + 1.0, 0.0)
            inters = iw * ih

            # union
            uni = (
                (bb[2] - bb[0] + 1.0) * (bb[3] - bb[1] + 1.0)
                + (BBGT[:, 2] - BBGT[:, 0] + 1.0) * (BBGT[:, 3] - BBGT[:, 1] + 1.0)
                - inters
            )

            overlaps = inters / uni
            ovmax = np.max(overlaps)
            jmax = np.argmax(overlaps)

        if ovmax > ovthresh:
            if not R["difficult"][jmax]:
                if not R["det"][jmax]:
                    tp[d] = 1.0
                    R["det"][jmax] = 1
                else:
                    fp[d] = 1.0
        else:
            fp[d] = 1.0

    # compute precision recall
    fp = np.cumsum(fp)
    tp = np.cumsum(tp)
    rec = tp / float(npos)
    # avoid divide by zero in case the first detection matches a difficult
    # ground truth
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    ap = voc_ap(rec, prec, use_07_metric)

    return rec, prec, ap


def evaluate(predictions, recs, imagenames, is_2007):
    """PascalVOCDetectionEvaluator.evaluate() after its per-class result files are written."""
    aps = defaultdict(list)  # iou -> ap per class
    for cls_id, cls_name in enumerate(CLASSES):
        lines = predictions.get(cls_id, [""])
        lines = "\n".join(lines).splitlines(keepends=True)  # what f.readlines() returns for the written file
        for thresh in range(50, 100, 5):
            rec, prec, ap = voc_eval(lines, recs, imagenames, cls_name, ovthresh=thresh / 100.0, use_07_metric=is_2007)
            aps[thresh].append(ap * 100)
    mAP = {iou: np.mean(x) for iou, x in aps.items()}
    return {
        "AP": float(np.mean(list(mAP.values()))), "AP50": float(mAP[50]), "AP75": float(mAP[75]),
        "per_class_ap50": {c: float(a) for c, a in zip(CLASSES, aps[50])},
    }


# ---- synthetic data ----
def make_set(rng):
    images, ground_truth, raw = [], [], []
    for n in range(30):
        image_id = f"{2008_000000 + 7 * n:06d}"
        images.append(image_id)
        width, height = int(rng.integers(200, 500)), int(rng.integers(200, 500))
        for _ in range(int(rng.integers(0, 7))):
            cls = int(rng.integers(len(CLASSES)))
            x1, y1 = int(rng.integers(1, width - 20)), int(rng.integers(1, height - 20))
            x2, y2 = int(rng.integers(x1 + 4, width + 1)), int(rng.integers(y1 + 4, height + 1))
            difficult = int(rng.random() < 0.15)
            ground_truth.append({"image_id": image_id, "class": cls, "bbox": [x1, y1, x2, y2], "difficult": difficult})
            # Predictions are what the model outputs: 0-based float32 xyxy (detectron2 undoes VOC's 1-based x1, y1).
            box = np.array([x1 - 1, y1 - 1, x2, y2], dtype=np.float64)
            kind = rng.random()
            if kind < 0.1:
                continue  # missed
            copies = 2 if kind > 0.9 else 1  # duplicates become false positives
            for _ in range(copies):
                scale = rng.choice([0.02, 0.08, 0.2])
                jitter = rng.normal(0, scale, 4) * np.array([x2 - x1, y2 - y1, x2 - x1, y2 - y1])
                jittered = box + jitter
                if rng.random() < 0.3:
                    jittered = np.round(jittered * 4) / 4  # quarter pixels: exact .x5 ties in the %.1f text
                wrong = rng.random() < 0.1
                raw.append((image_id, (cls + 1) % len(CLASSES) if wrong else cls, jittered.astype(np.float32)))
        for _ in range(int(rng.integers(0, 3))):  # background false positives
            x1, y1 = rng.uniform(0, width - 30), rng.uniform(0, height - 30)
            w, h = rng.uniform(5, 200), rng.uniform(5, 200)
            raw.append((image_id, int(rng.integers(len(CLASSES))), np.array([x1, y1, x1 + w, y1 + h], dtype=np.float32)))
    # Distinct scores per class after %.3f: voc_eval's np.argsort(-confidence) is not stable, so ties would make
    # the expected order depend on numpy's quicksort.
    pool = rng.permutation(np.arange(1, 1000))
    predictions = []
    for i, (image_id, cls, box) in enumerate(raw):
        score = np.float32(pool[i] / 1000.0 + rng.uniform(-4e-4, 4e-4))
        predictions.append({"image_id": image_id, "class": cls, "score": float(score),
                            "box": [float(v) for v in box]})
    return images, ground_truth, predictions


def detectron2_lines(predictions):
    """PascalVOCDetectionEvaluator.process(): one text line per prediction, grouped by class in input order."""
    lines = defaultdict(list)
    for p in predictions:
        xmin, ymin, xmax, ymax = (np.float32(v) for v in p["box"])
        xmin += 1
        ymin += 1
        lines[p["class"]].append(f"{p['image_id']} {p['score']:.3f} {xmin:.1f} {ymin:.1f} {xmax:.1f} {ymax:.1f}")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = np.random.default_rng(20210619)
    images, ground_truth, predictions = make_set(rng)
    lines = detectron2_lines(predictions)
    for cls_lines in lines.values():
        scores = [line.split(" ")[1] for line in cls_lines]
        assert len(scores) == len(set(scores)), "score ties would make voc_eval's unstable argsort decide"
    recs = {i: [] for i in images}
    for g in ground_truth:
        recs[g["image_id"]].append({"name": CLASSES[g["class"]], "bbox": g["bbox"], "difficult": g["difficult"]})
    counted = {c for g in ground_truth if not g["difficult"] for c in [g["class"]]}
    assert counted == set(range(len(CLASSES))), "every class needs a non-difficult object (else AP is NaN)"
    result = {
        "classes": CLASSES, "image_ids": images, "ground_truth": ground_truth, "predictions": predictions,
        "expected": {"voc2007": evaluate(lines, recs, images, True), "voc2012": evaluate(lines, recs, images, False)},
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(json.dumps(result["expected"]["voc2007"]))
    print(json.dumps(result["expected"]["voc2012"]))


if __name__ == "__main__":
    main()
