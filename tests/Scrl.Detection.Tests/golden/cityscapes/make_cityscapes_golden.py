#!/usr/bin/env python3
"""Builds a tiny Cityscapes-layout val set with predictions and scores it with cityscapesScripts' own
evaluateImgLists (evalInstanceLevelSemanticLabeling.py, default arguments).

Usage: python3 make_cityscapes_golden.py CITYSCAPESSCRIPTS_CHECKOUT [OUT_DIR]

CITYSCAPESSCRIPTS_CHECKOUT is a folder that holds the `cityscapesscripts` package (github.com/mcordts/cityscapesScripts).
Needs numpy and Pillow. Writes OUT_DIR/set/ (gtFine/val/<city>/*_gtFine_instanceIds.png, results/<city>/*.txt and
mask PNGs) and OUT_DIR/cityscapes-golden.json (the script's AP matrix and averages, NaN written as null, plus the
predictions as rectangles so a test can rebuild the masks in memory). OUT_DIR defaults to this script's folder.
"""
import json
import os
import shutil
import sys
import tempfile
import types

import numpy as np
from PIL import Image

H, W = 64, 128
ROAD, UNLABELED, STATIC, CARAVAN = 7, 0, 4, 29
PERSON, RIDER, CAR, TRUCK, BUS, TRAIN, MOTORCYCLE, BICYCLE = 24, 25, 26, 27, 28, 31, 32, 33


def rect(img, r, value):
    y0, y1, x0, x1 = r
    img[y0:y1, x0:x1] = value


def mask_of(rects):
    m = np.zeros((H, W), bool)
    for y0, y1, x0, x1 in rects:
        m[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)] = True
    return m


def clip_rect(y0, y1, x0, x1):
    return [int(np.clip(y0, 0, H)), int(np.clip(y1, 0, H)), int(np.clip(x0, 0, W)), int(np.clip(x1, 0, W))]


def hand_made_image():
    """Every rule in one frame: void, crowd, small gt, duplicates, skipped labels, an empty mask, a repeated line."""
    gt = np.full((H, W), ROAD, np.uint16)
    rect(gt, (0, 6, 0, W), UNLABELED)                # void band
    rect(gt, (40, 64, 0, 10), STATIC)                # void block
    rect(gt, (10, 30, 10, 40), CAR * 1000 + 1)       # 600 px
    rect(gt, (10, 30, 45, 70), CAR * 1000 + 2)       # 500 px
    rect(gt, (35, 50, 40, 70), CAR)                  # car group (crowd), 450 px
    rect(gt, (20, 50, 80, 90), PERSON * 1000 + 1)    # 300 px
    rect(gt, (50, 58, 100, 110), PERSON * 1000 + 2)  # 80 px: under the 100 px minimum region size
    rect(gt, (52, 64, 20, 40), CARAVAN)              # ignoreInEval label: void
    rect(gt, (52, 64, 45, 60), CARAVAN * 1000 + 1)   # caravan instance: raw value not in the void list
    rect(gt, (30, 60, 110, 120), RIDER * 1000 + 1)
    rect(gt, (8, 20, 95, 125), TRAIN * 1000 + 1)     # train gt; no train predictions anywhere
    # Ignored predictions score above the hits, so that treating any of them as a false positive changes the AP.
    preds = [
        # (rects, labelId, confidence, png style)
        ([[10, 30, 10, 40]], CAR, 0.9, "L"),                     # exact car 1
        ([[12, 32, 11, 41]], CAR, 0.8, "L"),                     # duplicate on car 1
        ([[10, 30, 49, 74]], CAR, 0.7, "RGB"),                   # car 2 shifted: IoU 0.72
        ([[35, 50, 40, 70]], CAR, 0.95, "L"),                    # on the car group
        ([[35, 50, 55, 85]], CAR, 0.93, "1"),                    # half group, half road
        ([[0, 6, 0, 30]], CAR, 0.97, "L"),                       # on void
        ([[0, 10, 0, 30]], CAR, 0.96, "L"),                      # 60 % void
        ([[45, 64, 45, 60]], CAR, 0.92, "L"),                    # over the caravan instance (not void)
        ([[21, 50, 80, 90]], PERSON, 0.85, "L"),                 # person 1, one row short
        ([[50, 58, 100, 110]], PERSON, 0.98, "L"),               # on the small person
        ([], PERSON, 0.99, "L"),                                 # empty mask: skipped
        ([[20, 50, 80, 90]], RIDER, 0.3, "L"),                   # wrong class on person 1
        ([[30, 60, 110, 121]], RIDER, 0.45, "P"),                # rider
        ([[52, 64, 45, 60]], CARAVAN, 0.99, "L"),                # ignoreInEval label: skipped
        ([[50, 64, 15, 40]], CAR, 0.94, "L"),                    # 69 % on the caravan crowd (void)
        ([[40, 64, 10, 40]], ROAD, 0.99, "L"),                   # label without instances: skipped
        ([[40, 60, 70, 100]], BUS, 0.5, "L"),                    # bus: no bus gt anywhere
    ]
    # The same mask file listed twice: the script's dict keeps the first position and the last values.
    repeated = {"index": 8, "confidence": 0.35}
    return gt, preds, repeated


def random_image(rng, crowd_labels):
    gt = np.full((H, W), ROAD, np.uint16)
    rect(gt, (0, int(rng.randint(2, 8)), 0, W), UNLABELED)
    boxes = []
    counters = {}
    for k in range(9):
        label = int(rng.choice([PERSON, RIDER, CAR, CAR, TRUCK, BICYCLE, BICYCLE]))
        h, w = int(rng.randint(6, 24)), int(rng.randint(6, 30))
        y0, x0 = int(rng.randint(0, H - h)), int(rng.randint(0, W - w))
        counters[label] = counters.get(label, 0) + 1
        value = label * 1000 + counters[label]
        rect(gt, (y0, y0 + h, x0, x0 + w), value)
        boxes.append((label, [y0, y0 + h, x0, x0 + w]))
    for label in crowd_labels:
        h, w = int(rng.randint(8, 16)), int(rng.randint(10, 20))
        y0, x0 = int(rng.randint(0, H - h)), int(rng.randint(0, W - w))
        rect(gt, (y0, y0 + h, x0, x0 + w), label)
        boxes.append((label, [y0, y0 + h, x0, x0 + w]))
    preds = []
    for label, (y0, y1, x0, x1) in boxes:
        for _ in range(int(rng.choice([0, 1, 1, 1, 2]))):
            d = rng.randint(-4, 5, size=4)
            r = clip_rect(y0 + d[0], y1 + d[1], x0 + d[2], x1 + d[3])
            preds.append(([r], label, round(float(rng.uniform(0.05, 1.0)), 1), "L"))  # 1 decimal: ties
    for _ in range(3):
        h, w = int(rng.randint(5, 20)), int(rng.randint(5, 25))
        y0, x0 = int(rng.randint(0, H - h)), int(rng.randint(0, W - w))
        label = int(rng.choice([PERSON, CAR, TRUCK, BICYCLE, RIDER]))
        preds.append(([[y0, y0 + h, x0, x0 + w]], label, round(float(rng.uniform(0.05, 1.0)), 2), "L"))
    return gt, preds, None


def empty_prediction_image():
    gt = np.full((H, W), ROAD, np.uint16)
    rect(gt, (10, 40, 10, 50), CAR * 1000 + 3)
    rect(gt, (20, 50, 60, 80), BICYCLE * 1000 + 1)
    rect(gt, (5, 45, 90, 100), PERSON * 1000 + 3)
    return gt, [], None


def save_mask(path, m, style):
    if style == "L":
        Image.fromarray(m.astype(np.uint8) * 255, "L").save(path)
    elif style == "1":
        Image.fromarray(m).convert("1").save(path)
    elif style == "RGB":                      # PIL's convert("L") of (0, 0, 200) is 23: still inside
        rgb = np.zeros((H, W, 3), np.uint8)
        rgb[m] = (0, 0, 200)
        Image.fromarray(rgb, "RGB").save(path)
    elif style == "P":
        p = Image.fromarray(m.astype(np.uint8), "P")
        p.putpalette([0, 0, 0, 10, 200, 30] + [0] * (256 * 3 - 6))
        p.save(path)
    else:
        raise ValueError(style)


def build(set_dir):
    rng = np.random.RandomState(20261207)
    frames = [
        ("aachen", "000000", "000019", hand_made_image()),
        ("aachen", "000001", "000019", empty_prediction_image()),
        ("bremen", "000000", "000019", random_image(rng, [])),
        ("bremen", "000001", "000019", random_image(rng, [PERSON, BICYCLE])),
    ]
    described = []
    gt_files = []
    for city, seq, frame, (gt, preds, repeated) in frames:
        stem = f"{city}_{seq}_{frame}"
        gt_dir = os.path.join(set_dir, "gtFine", "val", city)
        res_dir = os.path.join(set_dir, "results", city)
        os.makedirs(gt_dir, exist_ok=True)
        os.makedirs(os.path.join(res_dir, "masks"), exist_ok=True)
        gt_path = os.path.join(gt_dir, f"{stem}_gtFine_instanceIds.png")
        Image.fromarray(gt.astype(np.int32), "I").save(gt_path)  # 16-bit grayscale PNG, as Cityscapes ships it
        gt_files.append(gt_path)
        lines, entries = [], []
        for k, (rects, label, conf, style) in enumerate(preds):
            rel = f"masks/{stem}_{k:02d}.png"
            save_mask(os.path.join(res_dir, rel), mask_of(rects), style)
            lines.append(f"{rel} {label} {conf}")
            entries.append({"rects": rects, "label_id": label, "confidence": conf})
        if repeated is not None:
            k = repeated["index"]
            lines.append(f"masks/{stem}_{k:02d}.png {preds[k][1]} {repeated['confidence']}")
            entries[k]["confidence"] = repeated["confidence"]
        with open(os.path.join(res_dir, f"{stem}_pred.txt"), "w") as f:
            f.write("".join(line + "\n" for line in lines))
        described.append({"city": city, "stem": stem, "height": H, "width": W, "predictions": entries})
    return gt_files, described


def run_cityscapes_scripts(scripts_dir, set_dir, gt_files):
    sys.modules.setdefault("pyquaternion", types.SimpleNamespace(Quaternion=None))  # only its 3D-box helpers use it
    sys.path.insert(0, os.path.abspath(scripts_dir))
    import cityscapesscripts.evaluation.evalInstanceLevelSemanticLabeling as ev
    work = tempfile.mkdtemp()
    cwd = os.getcwd()
    try:
        os.chdir(work)                                   # evaluateImgLists writes matches.json to the cwd
        args = ev.args
        args.gtInstancesFile = os.path.join(work, "gtInstances.json")
        args.exportFile = os.path.join(work, "result.json")
        args.predictionPath = os.path.abspath(os.path.join(set_dir, "results"))
        args.predictionWalk = None
        args.quiet = True
        args.colorized = False
        pred_files = [ev.getPrediction(g, args) for g in gt_files]
        res = ev.evaluateImgLists(pred_files, gt_files, args)
    finally:
        os.chdir(cwd)
        shutil.rmtree(work)
    return res


def nan_to_none(x):
    if isinstance(x, dict):
        return {k: nan_to_none(v) for k, v in x.items()}
    if isinstance(x, list):
        return [nan_to_none(v) for v in x]
    if isinstance(x, float) and x != x:
        return None
    return float(x) if isinstance(x, (np.floating, float)) else x


def main():
    scripts_dir = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    set_dir = os.path.join(out_dir, "set")
    shutil.rmtree(set_dir, ignore_errors=True)
    gt_files, described = build(set_dir)
    res = run_cityscapes_scripts(scripts_dir, set_dir, gt_files)
    avg = res["averages"]
    golden = {
        "source": "cityscapesscripts/evaluation/evalInstanceLevelSemanticLabeling.py evaluateImgLists, default args",
        "inst_labels": res["instLabels"],
        "overlaps": res["overlaps"],
        "ap_matrix": nan_to_none(res["resultApMatrix"][0]),     # [class][overlap], distance index 0 (inf)
        "all_ap": nan_to_none(float(avg["allAp"])),
        "all_ap50": nan_to_none(float(avg["allAp50%"])),
        "classes": {name: {"ap": nan_to_none(float(c["ap"])), "ap50": nan_to_none(float(np.asarray(c["ap50%"]).item()))}
                    for name, c in avg["classes"].items()},
        "images": described,
    }
    with open(os.path.join(out_dir, "cityscapes-golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    print(json.dumps({k: golden[k] for k in ("all_ap", "all_ap50", "classes")}, indent=1))


if __name__ == "__main__":
    main()
