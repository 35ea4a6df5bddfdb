"""COCOeval goldens for what the other sets leave untested: crowd regions as compressed and uncompressed RLE,
a non-crowd uncompressed-RLE object, multi-part polygons, and pycocotools loadRes' area branches (a results list
whose first entry has a bbox takes every area from bbox w*h; without one, segm areas are mask areas).

Usage: python3 make_branches.py --pycocotools <PythonAPI dir> [--seed 7]
Writes gt-masks.json, dets-<set>.json and stats-<set>.json here (stats: summarize() order, plus per_category_ap in
ascending category id order). Sets: segm-mask-area, segm-box-area (on gt-masks.json), keypoints-box-area (on
../cocoeval-segm-kp/gt-keypoints.json, its jittered detections with a bbox added).
"""
import argparse, contextlib, io, json, os, random, sys
import numpy as np

ap = argparse.ArgumentParser(); ap.add_argument("--pycocotools", default=None); ap.add_argument("--seed", type=int, default=7)
a = ap.parse_args()
if a.pycocotools: sys.path.insert(0, a.pycocotools)
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
from pycocotools import mask as M

here = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(a.seed)
CATS = [1, 3, 7]


def polygon(cx, cy, r, n):
    pts = []
    for i in range(n):
        t = 2 * np.pi * i / n + rng.uniform(-0.2, 0.2); rr = r * rng.uniform(0.6, 1.0)
        pts += [round(cx + rr * np.cos(t), 2), round(cy + rr * np.sin(t), 2)]
    return pts


def enc(m):
    r = M.encode(np.asfortranarray(m.astype(np.uint8))); r["counts"] = r["counts"].decode("ascii"); return r


def uncompressed(m):
    flat = m.astype(np.uint8).flatten(order="F"); counts, prev, run = [], 0, 0
    for v in flat:
        if v != prev: counts.append(run); run = 0; prev = v
        run += 1
    counts.append(run); return {"size": [int(m.shape[0]), int(m.shape[1])], "counts": counts}


def blob(h, w):
    m = np.zeros((h, w), np.uint8)
    for _ in range(rng.randint(2, 4)):
        y0, x0 = rng.randrange(h), rng.randrange(w)
        m[y0:y0 + rng.randint(4, h // 2), x0:x0 + rng.randint(4, w // 2)] = 1
    return m


images, anns = [], []
for i, (h, w) in enumerate([(60, 80), (120, 160), (90, 90), (150, 110), (40, 50), (128, 128), (70, 200), (100, 100)]):
    iid = 500 + 3 * i
    images.append({"id": iid, "file_name": f"{iid:012d}.jpg", "height": h, "width": w})
    if i == 4: continue                                                   # an image without annotations
    for _ in range(rng.randint(2, 5)):
        r = rng.choice([5, 12, 25, 45]); cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        parts = [polygon(cx, cy, r, rng.randint(3, 9))]
        if rng.random() < 0.3: parts.append(polygon(cx + r, cy - r / 2, r / 2, rng.randint(3, 6)))
        anns.append({"image_id": iid, "category_id": rng.choice(CATS), "iscrowd": 0, "segmentation": parts})
    if i % 2 == 0:                                                        # crowd region, compressed RLE
        anns.append({"image_id": iid, "category_id": 1, "iscrowd": 1, "segmentation": enc(blob(h, w))})
    if i in (1, 3):                                                       # crowd region, uncompressed counts
        anns.append({"image_id": iid, "category_id": 3, "iscrowd": 1, "segmentation": uncompressed(blob(h, w))})
    if i in (2, 5):                                                       # an object stored as uncompressed counts
        anns.append({"image_id": iid, "category_id": 7, "iscrowd": 0, "segmentation": uncompressed(blob(h, w))})
cats = [{"id": c, "name": f"class{c}", "supercategory": "thing"} for c in CATS]
gt_json = {"images": images, "annotations": anns, "categories": cats}
for k, an in enumerate(anns): an["id"] = k + 1
# area/bbox as COCO stores them: from the mask; a few areas rounded differently (areas are the file's, not the mask's).
with contextlib.redirect_stdout(io.StringIO()):
    tmp = COCO(); tmp.dataset = json.loads(json.dumps(gt_json)); tmp.createIndex()
for an in anns:
    rle = tmp.annToRLE(an)
    an["area"] = float(M.area(rle)) + (0.4 if an["id"] % 5 == 0 else 0.0)
    an["bbox"] = [float(v) for v in M.toBbox(rle)]
json.dump(gt_json, open(os.path.join(here, "gt-masks.json"), "w"))

with contextlib.redirect_stdout(io.StringIO()): gt = COCO(os.path.join(here, "gt-masks.json"))


def shift(m, dx, dy):
    out = np.zeros_like(m); h, w = m.shape
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    out[yd, xd] = m[ys, xs]; return out


dets = []
for an in gt.dataset["annotations"]:
    img = gt.imgs[an["image_id"]]; m = gt.annToMask(an)
    if an["iscrowd"]:                                                     # parts of crowd regions: absorbed, or ignored
        for _ in range(2):
            dets.append({"image_id": an["image_id"], "category_id": an["category_id"], "segmentation": enc(shift(m, rng.randint(-8, 8), rng.randint(-8, 8)) * blob(img["height"], img["width"])), "score": round(rng.random(), 3)})
        continue
    dx, dy = rng.randint(-3, 3), rng.randint(-3, 3)
    c = an["category_id"] if rng.random() < 0.85 else rng.choice(CATS)
    dets.append({"image_id": an["image_id"], "category_id": c, "segmentation": enc(shift(m, dx, dy)), "score": round(rng.random(), 3)})
    if rng.random() < 0.4:
        dets.append({"image_id": an["image_id"], "category_id": c, "segmentation": enc(shift(m, 2 * dx + 4, dy - 3)), "score": round(rng.random() * 0.6, 3)})
for img in gt.dataset["images"]:                                          # false positives, one of them empty
    dets.append({"image_id": img["id"], "category_id": rng.choice(CATS), "segmentation": enc(blob(img["height"], img["width"])), "score": round(rng.random() * 0.5, 3)})
dets.append({"image_id": images[0]["id"], "category_id": 1, "segmentation": enc(np.zeros((images[0]["height"], images[0]["width"]), np.uint8)), "score": 0.05})
rng.shuffle(dets)


def with_box(d, pad):
    b = [float(v) for v in M.toBbox(d["segmentation"])]
    return dict(d, bbox=[b[0] - pad, b[1] - pad, b[2] + 2 * pad, b[3] + 2 * pad])


kp_gt_path = os.path.join(here, "..", "cocoeval-segm-kp", "gt-keypoints.json")
kp_dets = json.load(open(os.path.join(here, "..", "cocoeval-segm-kp", "keypoints", "dets-jittered.json")))
for d in kp_dets:
    xs, ys = d["keypoints"][0::3], d["keypoints"][1::3]
    d["bbox"] = [min(xs) - 4, min(ys) - 4, max(xs) - min(xs) + 8, max(ys) - min(ys) + 8]

sets = {"segm-mask-area": ("segm", gt, dets), "segm-box-area": ("segm", gt, [with_box(d, rng.choice([0, 2, 6])) for d in dets]),
        "keypoints-box-area": ("keypoints", None, kp_dets)}
for name, (iou_type, g, ds) in sets.items():
    path = os.path.join(here, f"dets-{name}.json"); json.dump(ds, open(path, "w"))
    with contextlib.redirect_stdout(io.StringIO()):
        if g is None: g = COCO(kp_gt_path)
        e = COCOeval(g, g.loadRes(path), iou_type); e.evaluate(); e.accumulate(); e.summarize()
    prec = e.eval["precision"]; per_cat = []
    for k in range(prec.shape[2]):
        p = prec[:, :, k, 0, -1]; p = p[p > -1]; per_cat.append(float(np.mean(p)) if p.size else -1.0)
    json.dump({"iouType": iou_type, "stats": [float(x) for x in e.stats], "per_category_ap": per_cat},
              open(os.path.join(here, f"stats-{name}.json"), "w"), indent=1)
    print(f"{name:20s} {len(ds):4d} dets  AP {e.stats[0]:.4f}")
print(f"{len(images)} images, {len(anns)} annotations ({sum(x['iscrowd'] for x in anns)} crowd)")
