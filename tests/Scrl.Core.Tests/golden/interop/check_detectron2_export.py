"""Oracle for Detectron2ExportTests: our .pkl equals what detectron2's converter makes of our .pth.

usage: check_detectron2_export.py EXPORT.pkl EXPORT.pth
Reads the .pkl the way detectron2's checkpointer does (plain pickle, latin1, numpy only; torch is
imported only after loading) and exits non-zero with a message on the first difference.
"""
import pickle
import sys

import numpy as np

pkl_path, pth_path = sys.argv[1:3]
with open(pkl_path, "rb") as f:
    exported = pickle.load(f, encoding="latin1")  # detectron2/checkpoint/detection_checkpoint.py

import torch  # noqa: E402  (only now: the .pkl must not need it)
import torchvision  # noqa: E402


def convert_key(k):
    """The renames of detectron2 tools/convert-torchvision-to-d2.py, line for line."""
    if "layer" not in k:
        k = "stem." + k
    for t in [1, 2, 3, 4]:
        k = k.replace("layer{}".format(t), "res{}".format(t + 1))
    for t in [1, 2, 3]:
        k = k.replace("bn{}".format(t), "conv{}.norm".format(t))
    k = k.replace("downsample.0", "shortcut")
    k = k.replace("downsample.1", "shortcut.norm")
    return k


def fail(message):
    sys.exit("detectron2 export check failed: " + message)


if sorted(exported) != ["__author__", "matching_heuristics", "model"]:
    fail("top-level keys %s" % sorted(exported))
if exported["__author__"] != "torchvision" or exported["matching_heuristics"] is not True:
    fail("__author__=%r matching_heuristics=%r" % (exported["__author__"], exported["matching_heuristics"]))

trunk_keys = [k for k in torchvision.models.resnet18().state_dict() if not k.startswith("fc.")]
if set(exported["model"]) != {convert_key(k) for k in trunk_keys}:
    fail("key set differs from the converter applied to torchvision resnet18 trunk keys: %s"
         % sorted(set(exported["model"]) ^ {convert_key(k) for k in trunk_keys}))

# What the converter script writes for our torchvision export.
expected = {convert_key(k): v.detach().numpy() for k, v in torch.load(pth_path, map_location="cpu").items()}
for key, want in expected.items():
    got = exported["model"][key]
    if type(got) is not np.ndarray or got.dtype != want.dtype or got.shape != want.shape:
        fail("%s: %s %s %s, expected ndarray %s %s" % (key, type(got).__name__, getattr(got, "dtype", ""),
                                                      getattr(got, "shape", ""), want.dtype, want.shape))
    if not got.flags.writeable or not np.array_equal(got, want):
        fail("%s: values differ or array is read-only" % key)
print("ok", len(expected))
