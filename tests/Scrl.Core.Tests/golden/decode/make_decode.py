"""PIL's decoding of JPEGs, the reference for ImageDecoder (torchvision's ImageFolder/COCO loaders open with PIL).

Writes small JPEGs of seeded smooth noise in the encodings datasets use (baseline 4:2:0 and 4:4:4, progressive,
grayscale, CMYK), and for each the sha256 of PIL's Image.open(p).convert("RGB") as [3, H, W] uint8 bytes. With a
shared/ folder as argument it also records the hashes of every coco-tiny image (used by the Shared tests).

    /usr/bin/python3 tests/Scrl.Core.Tests/golden/decode/make_decode.py [path/to/shared]
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def chw_sha256(path):
    rgb = np.asarray(Image.open(path).convert("RGB"))
    return {"height": rgb.shape[0], "width": rgb.shape[1],
            "sha256": hashlib.sha256(np.ascontiguousarray(rgb.transpose(2, 0, 1)).tobytes()).hexdigest()}


def smooth_noise(rng, height, width):
    coarse = rng.integers(0, 256, size=(height // 8 + 2, width // 8 + 2, 3)).astype(np.float64)
    ys, xs = np.linspace(0, coarse.shape[0] - 1.001, height), np.linspace(0, coarse.shape[1] - 1.001, width)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    top = coarse[y0][:, x0] * (1 - fx) + coarse[y0][:, x0 + 1] * fx
    bottom = coarse[y0 + 1][:, x0] * (1 - fx) + coarse[y0 + 1][:, x0 + 1] * fx
    fine = rng.integers(-12, 13, size=(height, width, 3))
    return np.clip(top * (1 - fy) + bottom * fy + fine, 0, 255).astype(np.uint8)


def main():
    rng = np.random.default_rng(0)
    image = Image.fromarray(smooth_noise(rng, 45, 67))   # not a multiple of the 16-pixel MCU
    encodings = {
        "baseline_420.jpg": dict(quality=90),
        "baseline_444.jpg": dict(quality=95, subsampling=0),
        "progressive.jpg": dict(quality=85, progressive=True),
    }
    golden = {}
    for name, options in encodings.items():
        image.save(os.path.join(HERE, name), **options)
    image.convert("L").save(os.path.join(HERE, "grayscale.jpg"), quality=90)
    image.convert("CMYK").save(os.path.join(HERE, "cmyk.jpg"), quality=90)
    for name in [*encodings, "grayscale.jpg", "cmyk.jpg"]:
        golden[name] = chw_sha256(os.path.join(HERE, name))
    with open(os.path.join(HERE, "decode.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)

    if len(sys.argv) > 1:
        files = sorted(glob.glob(os.path.join(sys.argv[1], "data", "coco-tiny", "*", "*.jpg")))
        coco = {os.path.basename(p): chw_sha256(p) for p in files}
        with open(os.path.join(HERE, "coco_tiny.json"), "w") as f:
            json.dump(coco, f, indent=1, sort_keys=True)
        print(f"coco-tiny: {len(coco)} images")


if __name__ == "__main__":
    main()
