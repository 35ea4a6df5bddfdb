"""What the official SCRL step does with a batch in which no image produced a box pair.

kakaobrain/scrl models/box_generator.py returns [torch.tensor(spatial_boxes1), torch.tensor(spatial_boxes2)];
with both lists empty these are 1-D tensors of shape [0]. trainer/trainer.py _forward concatenates them
(torch.cat(boxes, dim=0)) and models/backbone.py hands the result to ops.RoIAlign(output_size=(1, 1),
sampling_ratio=-1, spatial_scale=0.03125, aligned=False). Run with Debian's python3-torchvision (0.14), it prints:

  boxes: shape (0,), float32
  IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)
  raised in torchvision/ops/_utils.py check_roi_boxes_shape:
      torch._assert(boxes.size(1) == 5, "The boxes tensor shape is not correct as Tensor[K, 5]")

An empty [0, 5] tensor would pass (output [0, C, 1, 1], and the loss would be the mean of nothing, NaN), but the
official code never builds one: the step stops at RoIAlign with the IndexError.
"""
import traceback

import torch
from torchvision import ops

spatial_boxes1, spatial_boxes2 = [], []                      # no image had an intersection of more than 32 px
boxes = torch.cat([torch.tensor(spatial_boxes1), torch.tensor(spatial_boxes2)], dim=0)
print(f"boxes: shape {tuple(boxes.shape)}, {str(boxes.dtype).replace('torch.', '')}")
h_pre_gap = torch.randn(4, 8, 7, 7)                          # [2B, C, 7, 7] layer4 features
roi_align = ops.RoIAlign(output_size=(1, 1), sampling_ratio=-1, spatial_scale=0.03125, aligned=False)
try:
    roi_align(h_pre_gap, boxes)
    raise SystemExit("RoIAlign accepted the official empty boxes")
except IndexError as error:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    print(f"IndexError: {error}")
    print(f"raised in torchvision/ops/{frame.filename.rsplit('/', 1)[-1]} {frame.name}: {frame.line}")
