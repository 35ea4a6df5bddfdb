using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>Scalar losses of one learner pass.</summary>
/// <param name="Total">What is backpropagated: Regression + Classification.</param>
/// <param name="Regression">The self-supervised term: SCRL (box) or BYOL (image) regression loss in [0, 8], or the
/// NT-Xent loss of the contrastive objective.</param>
/// <param name="Classification">Online classifier cross-entropy; null without a classifier.</param>
public readonly record struct ScrlLosses(Tensor Total, Tensor Regression, Tensor? Classification);
