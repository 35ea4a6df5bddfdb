using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>What one network pass over both views yields.</summary>
/// <param name="Projection">Projector output per box [2R, D] (SCRL) or per image [2B, D] (BYOL).</param>
/// <param name="Pooled">Global-average-pooled C5 per image [2B, C], the online classifier's input.</param>
public readonly record struct ScrlNetworkOutput(Tensor Projection, Tensor Pooled);
