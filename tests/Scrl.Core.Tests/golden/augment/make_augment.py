"""Golden outputs of torchvision 0.14 functional ops for the batched augmentation code (Scrl.Core.Augment).

Inputs are 4 images 3x20x28 quantised to multiples of 1/255 (as ToTensor of a uint8 image gives), with a few
gray pixels so the hue code meets max == min. Each op is applied image by image with that image's factor; the C#
code applies all of them at once with per-sample factors. Bicubic resizes are clamped to [0, 1] as PIL's uint8
output saturates. Run with Debian's /usr/bin/python3 (torch 1.13, torchvision 0.14); the output is deterministic.
"""
import os

import numpy as np
import torch
import torchvision.transforms.functional as F
from PIL import Image, ImageOps
from torchvision.transforms import InterpolationMode

torch.set_num_threads(2)
torch.manual_seed(20210315)
BICUBIC = InterpolationMode.BICUBIC
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]

images_u8 = torch.randint(0, 256, (4, 3, 20, 28), dtype=torch.uint8)
images_u8[:, :, :4, :4] = images_u8[:, :1, :4, :4]  # gray patch: r == g == b
images_u8[0, :, 5, 5] = 255
images_u8[1, :, 6, 6] = 0
images = images_u8.float() / 255.0

brightness = torch.tensor([0.6, 1.4, 0.9, 1.25])
contrast = torch.tensor([0.65, 1.35, 1.0, 0.8])
saturation = torch.tensor([0.8, 1.2, 0.95, 1.1])
hue = torch.tensor([-0.1, 0.07, 0.0, -0.45])
jitter_order = torch.tensor([[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]])
sigma = torch.tensor([0.1, 0.7, 1.3, 2.0])
crops = torch.tensor([[0, 0, 20, 28], [3, 5, 14, 20], [6, 2, 11, 9], [2, 12, 18, 16]])  # top, left, h, w
blur_factor = torch.tensor([1.1, 1.2, 1.5, 1.2])


def per_image(fn):
    return torch.stack([fn(i, images[i]) for i in range(images.shape[0])])


def resize(img, size):
    return F.resize(img, size, BICUBIC, antialias=True).clamp(0, 1)


def pil_of(i):
    return Image.fromarray(images_u8[i].permute(1, 2, 0).numpy())


def tensor_of(pil):
    return torch.from_numpy(np.asarray(pil).copy()).permute(2, 0, 1).float() / 255.0


def jitter(i, img):
    ops = [lambda x: F.adjust_brightness(x, float(brightness[i])),
           lambda x: F.adjust_contrast(x, float(contrast[i])),
           lambda x: F.adjust_saturation(x, float(saturation[i])),
           lambda x: F.adjust_hue(x, float(hue[i]))]
    for op in jitter_order[i].tolist():
        img = ops[op](img)
    return img


def resize_blur(i, img):
    h, w = img.shape[-2:]
    f = float(blur_factor[i])
    return resize(resize(img, [int(h // f), int(w // f)]), [h, w])


out = {
    "input_uint8": images_u8, "input": images,
    "brightness_factor": brightness, "contrast_factor": contrast, "saturation_factor": saturation,
    "hue_factor": hue, "jitter_order": jitter_order, "sigma": sigma, "crops": crops, "blur_factor": blur_factor,
    "brightness": per_image(lambda i, x: F.adjust_brightness(x, float(brightness[i]))),
    "contrast": per_image(lambda i, x: F.adjust_contrast(x, float(contrast[i]))),
    "saturation": per_image(lambda i, x: F.adjust_saturation(x, float(saturation[i]))),
    "hue": per_image(lambda i, x: F.adjust_hue(x, float(hue[i]))),
    "grayscale": F.rgb_to_grayscale(images, 3),
    "solarize": F.solarize(images, 0.5),
    "solarize_pil": per_image(lambda i, x: tensor_of(ImageOps.solarize(pil_of(i), 128))),
    "hflip": F.hflip(images),
    "resize_down": resize(images, [16, 16]),
    "resize_up": resize(images, [32, 36]),
    "resize_down_pil": per_image(lambda i, x: tensor_of(pil_of(i).resize((16, 16), Image.BICUBIC))),
    "resized_crop_pil": per_image(lambda i, x: tensor_of(F.resized_crop(pil_of(i), *crops[i].tolist(), [16, 16],
                                                                        BICUBIC))),
    "gaussian_blur_k7": per_image(lambda i, x: F.gaussian_blur(x, [7, 7], [float(sigma[i])] * 2)),
    "gaussian_blur_k23": per_image(lambda i, x: F.gaussian_blur(x, [23, 23], [float(sigma[i])] * 2)),
    "resize_blur": per_image(resize_blur),
    "normalize": F.normalize(images, MEAN, STD),
    "color_jitter": per_image(jitter),
    # Eval transform at S=16: shorter side to round(16*256/224)=18, centre crop 16, normalize.
    "eval_transform": F.normalize(F.center_crop(resize(images, 18), [16, 16]), MEAN, STD),
}

# Hue over every tie its code branches on (r == g, g == b, r == b, gray), the third channel above and below, with
# shifts of half a turn either way and onto sector boundaries; the fourth image mixes levels without ties.
levels = torch.arange(0, 256, 15)
a, b = torch.meshgrid(levels, levels, indexing="ij")  # [18, 18] each
mixed = torch.stack([a, (a * 7 + b * 3) % 256, (a * 13 + b * 11 + 5) % 256])
hue_ties = torch.stack([torch.stack([a, a, b]), torch.stack([b, a, a]), torch.stack([a, b, a]), mixed]).to(torch.uint8).float() / 255.0
hue_ties_shift = torch.tensor([0.5, -0.5, 1.0 / 6.0, -1.0 / 3.0])
out.update({"hue_ties": hue_ties, "hue_ties_shift": hue_ties_shift,
            "hue_ties_adjusted": torch.stack([F.adjust_hue(hue_ties[i], float(hue_ties_shift[i])) for i in range(4)])})
torch.save({k: v.contiguous() for k, v in out.items()}, os.path.join(os.path.dirname(os.path.abspath(__file__)), "augment.pt"))
