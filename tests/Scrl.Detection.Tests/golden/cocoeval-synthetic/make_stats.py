#!/usr/bin/env python3
"""pycocotools COCOeval(iouType='bbox') stats for each detection set beside gt.json.

Usage: python3 make_stats.py [--dir DIR] [--out DIR] [--pycocotools PYTHONAPI_DIR]
Reads DIR/gt.json and every DIR/dets-<set>.json; writes OUT/stats-<set>.json with the 12 stats in summarize()
order and per_category_ap: per category id, the mean of precision[:, :, k, area all, largest maxDets] over its
entries > -1, or -1 when it has none (a category without ground truth).
pycocotools: the cocoapi PythonAPI built from source (python3 setup.py build_ext --inplace in its PythonAPI
folder, with Cython and Debian's numpy); --pycocotools names that folder when it is not installed.
"""
import argparse, contextlib, glob, io, json, os, sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--dir", default=here); ap.add_argument("--out", default=None); ap.add_argument("--pycocotools", default=None)
a = ap.parse_args()
if a.pycocotools: sys.path.insert(0, a.pycocotools)
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

out = a.out or a.dir
os.makedirs(out, exist_ok=True)
with contextlib.redirect_stdout(io.StringIO()): gt = COCO(os.path.join(a.dir, "gt.json"))
for path in sorted(glob.glob(os.path.join(a.dir, "dets-*.json"))):
    name = os.path.basename(path)[len("dets-"):-len(".json")]
    with contextlib.redirect_stdout(io.StringIO()):
        e = COCOeval(gt, gt.loadRes(path), "bbox"); e.evaluate(); e.accumulate(); e.summarize()
    prec = e.eval["precision"]                                        # [T, R, K, A, M]
    per_cat = {}
    for k, cat_id in enumerate(e.params.catIds):
        p = prec[:, :, k, 0, -1]; p = p[p > -1]
        per_cat[str(cat_id)] = float(np.mean(p)) if p.size else -1.0
    with open(os.path.join(out, f"stats-{name}.json"), "w") as f:
        json.dump({"stats": [float(x) for x in e.stats], "per_category_ap": per_cat}, f, indent=1); f.write("\n")
    print(f"{name:15s} {len(json.load(open(path))):5d} dets  AP {e.stats[0]:.4f}")
