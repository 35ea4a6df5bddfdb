using Scrl.Core.Data.Loading;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

// Shapes: R RoIs, B RoIs in one head step, D feature size, K classes.

/// <summary>
/// Trains a <see cref="RoiLinearHead"/> with SGD (momentum) and a per-step cosine decay from the peak learning
/// rate to zero, either over cached features (<see cref="TrainOnFeatures"/>) or one batch at a time (<see cref="Step"/>).
/// </summary>
public sealed class RoiHeadTrainer : IDisposable
{
    private readonly RoiLinearHead _head;
    private readonly RoiEvalOptions _options;
    private readonly SGD _optimizer;
    private readonly long _totalSteps;

    /// <param name="totalSteps">Steps the cosine spans.</param>
    public RoiHeadTrainer(RoiLinearHead head, RoiEvalOptions options, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        _head = head;
        _options = options;
        _totalSteps = totalSteps;
        _optimizer = optim.SGD(head.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay);
    }

    /// <summary>Steps over cached features: <see cref="RoiEvalOptions.RoiBatch"/> RoIs per step.</summary>
    public static long StepsFor(long roiCount, RoiEvalOptions options) =>
        options.Epochs * ((roiCount + options.RoiBatch - 1) / options.RoiBatch);

    /// <summary>One SGD step at <paramref name="step"/> of the schedule; returns the cross-entropy.</summary>
    /// <param name="features">[B, D] on the head's device.</param>
    /// <param name="labels">[B] int64.</param>
    public double Step(Tensor features, Tensor labels, long step)
    {
        using var scope = NewDisposeScope();
        _head.train();
        foreach (var group in _optimizer.ParamGroups)
            group.LearningRate = 0.5 * _options.LearningRate * (1 + Math.Cos(Math.PI * Math.Min(step, _totalSteps) / _totalSteps));
        var loss = nn.functional.cross_entropy(_head.call(features), labels);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    /// <summary>Trains for <see cref="RoiEvalOptions.Epochs"/> passes over <paramref name="train"/>, reshuffled each epoch.</summary>
    /// <returns>The mean loss of the last epoch.</returns>
    public double TrainOnFeatures(RoiFeatureSet train, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var device = _head.parameters().First().device;
        int count = (int)train.Count;
        // A last batch of one RoI would break the head's BatchNorm; it is folded into the previous one.
        int batches = Math.Max(1, count / _options.RoiBatch);
        long step = 0;
        double lastEpochLoss = 0;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var order = tensor(EpochPermutation.Create(_options.Seed, epoch, count).Select(i => (long)i).ToArray());   // [R]
            double sum = 0;
            for (int b = 0; b < batches; b++)
            {
                long start = (long)b * _options.RoiBatch, length = b == batches - 1 ? count - start : _options.RoiBatch;
                var index = order.narrow(0, start, length);
                sum += Step(train.Features.index_select(0, index).to(device), train.Labels.index_select(0, index).to(device), step++);
            }
            lastEpochLoss = sum / batches;
            progress?.Report((epoch + 1.0) / _options.Epochs);
        }
        return lastEpochLoss;
    }

    /// <summary>Class predictions with the head in eval mode (running statistics).</summary>
    /// <param name="features">[R, D].</param>
    /// <returns>[R] int64 on the CPU.</returns>
    public static Tensor Predict(RoiLinearHead head, Tensor features, int batchSize = 4096)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        head.eval();
        var device = head.parameters().First().device;
        var parts = new List<Tensor>();
        for (long start = 0; start < features.shape[0]; start += batchSize)
        {
            var slice = features.narrow(0, start, Math.Min(batchSize, features.shape[0] - start)).to(device);
            parts.Add(head.call(slice).argmax(1).cpu());                                          // [b]
        }
        var predictions = parts.Count == 0 ? zeros(0, ScalarType.Int64) : cat(parts.ToArray(), 0);
        return predictions.MoveToOuterDisposeScope();
    }

    public void Dispose() => _optimizer.Dispose();
}
