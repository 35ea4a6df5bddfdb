namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>One predicted instance of one image: a binary mask over the full image, a label id and a confidence.</summary>
/// <param name="LabelId">Cityscapes label id (not the train id), e.g. 26 for car.</param>
/// <param name="Confidence">Score; higher ranks first.</param>
/// <param name="Width">Mask width, equal to the ground truth's.</param>
/// <param name="Height">Mask height, equal to the ground truth's.</param>
/// <param name="Mask">Row-major [H*W], true inside the instance.</param>
public sealed record CityscapesInstancePrediction(int LabelId, double Confidence, int Width, int Height, ReadOnlyMemory<bool> Mask);
