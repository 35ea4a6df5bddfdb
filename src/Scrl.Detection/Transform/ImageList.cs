using static TorchSharp.torch;

namespace Scrl.Detection.Transform;

/// <summary>A padded batch and the size of each image inside it (torchvision image_list.py ImageList).</summary>
/// <param name="Tensors">[N, 3, H, W], images at the top-left, zero padding.</param>
/// <param name="ImageSizes">(height, width) of each resized image before padding.</param>
public sealed record ImageList(Tensor Tensors, IReadOnlyList<(long Height, long Width)> ImageSizes);
