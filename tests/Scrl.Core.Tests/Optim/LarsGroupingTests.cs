using Scrl.Core.Models;
using Scrl.Core.Optim;

namespace Scrl.Core.Tests.Optim;

public sealed class LarsGroupingTests
{
    private static IEnumerable<string> BlockNorms(string lastTensor) =>
        from layer in Enumerable.Range(1, 4)
        from block in Enumerable.Range(0, 2)
        from bn in new[] { "bn1", "bn2" }
        select $"online.encoder.layer{layer}.{block}.{bn}.{lastTensor}";

    private static IEnumerable<string> Downsample(string lastTensor) =>
        Enumerable.Range(2, 3).Select(layer => $"online.encoder.layer{layer}.0.downsample.1.{lastTensor}");

    private static IReadOnlyList<string> ExcludedNames(LarsMode mode)
    {
        using var learner = new ScrlLearner(new ScrlLearnerOptions
        {
            Backbone = ResNetVariant.ResNet18, HiddenSize = 16, ProjectionSize = 8, NumClasses = 10,
        });
        return LarsGrouping.Group(learner.OptimizedParameters(), OfficialParameterNames.FromLearnerName, mode)
                           .Where(p => p.Excluded).Select(p => p.Name).ToList();
    }

    [Fact]
    public void ScrlOfficial_ExcludesOfficialBnAndBiasNames_NotStemDownsampleOrHeadGammas()
    {
        var expected = BlockNorms("weight").Concat(BlockNorms("bias")).Concat(Downsample("bias"))
            .Concat([
                "online.encoder.bn1.bias",             // official encoder.1.bias: excluded for "bias" only
                "online.projector.net.0.bias", "online.projector.net.1.bias",
                "predictor.net.0.bias", "predictor.net.1.bias",
                "classifier.bias",
            ]);

        var actual = ExcludedNames(LarsMode.ScrlOfficial);

        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        Assert.Equal(41, actual.Count);
        Assert.DoesNotContain("online.encoder.bn1.weight", actual);                      // official encoder.1.weight
        Assert.DoesNotContain("online.encoder.layer2.0.downsample.1.weight", actual);
        Assert.DoesNotContain("online.projector.net.1.weight", actual);
        Assert.DoesNotContain("predictor.net.1.weight", actual);
    }

    [Fact]
    public void Byol_ExcludesEveryOneDimensionalTensor()
    {
        var expected = BlockNorms("weight").Concat(BlockNorms("bias"))
            .Concat(Downsample("weight")).Concat(Downsample("bias"))
            .Concat([
                "online.encoder.bn1.weight", "online.encoder.bn1.bias",
                "online.projector.net.0.bias", "online.projector.net.1.weight", "online.projector.net.1.bias",
                "predictor.net.0.bias", "predictor.net.1.weight", "predictor.net.1.bias",
                "classifier.bias",
            ]);

        var actual = ExcludedNames(LarsMode.Byol);

        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        Assert.Equal(47, actual.Count);
    }
}
