"""Runs the load snippet DetectorExport prints for a Keypoint R-CNN (strict load_state_dict: a mismatch raises),
then checks the loaded model is a KeypointRCNN with the expected classes and keypoints.

Run with Debian's PyTorch 1.13 / torchvision 0.14: python3 load_export.py SNIPPET NUM_CLASSES NUM_KEYPOINTS
"""
import sys

scope = {}
exec(sys.argv[1], scope)  # noqa: S102  (the snippet under test)
model = scope["model"]
assert type(model).__name__ == "KeypointRCNN", type(model)
assert model.roi_heads.box_predictor.cls_score.out_features == int(sys.argv[2])
assert model.roi_heads.keypoint_predictor.kps_score_lowres.out_channels == int(sys.argv[3])
print("loaded")
