using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>
/// Projector / predictor MLP: Linear -> BatchNorm1d -> ReLU -> Linear without bias (the BYOL head).
/// </summary>
/// <remarks>Mirrors kakaobrain/scrl models/heads.py TwoLayerLinearHead. Keys: net.0.*, net.1.*, net.3.weight.</remarks>
public sealed class MlpHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential net;   // field name == state-dict key: never rename

    public MlpHead(long inputSize, long hiddenSize, long outputSize) : base(nameof(MlpHead))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        InputSize = inputSize;
        OutputSize = outputSize;
        net = nn.Sequential(
            nn.Linear(inputSize, hiddenSize),
            nn.BatchNorm1d(hiddenSize),
            nn.ReLU(inplace: true),
            nn.Linear(hiddenSize, outputSize, hasBias: false));
        RegisterComponents();
    }

    public long InputSize { get; }

    public long OutputSize { get; }

    /// <param name="x">Features [R, inputSize].</param>
    /// <returns>[R, outputSize].</returns>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 2 || x.shape[1] != InputSize)
            throw new ArgumentException($"Expected [R, {InputSize}], got [{string.Join(", ", x.shape)}].", nameof(x));
        return net.call(x);
    }
}
