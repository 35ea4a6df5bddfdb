using Scrl.Core.Models;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

public sealed class MlpHeadTests
{
    [Fact]
    public void MlpHead_StateDict_MatchesOfficialTwoLayerLinearHead()
    {
        using var head = new MlpHead(8, 16, 4);

        var shapes = head.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

        var expected = new Dictionary<string, long[]>
        {
            ["net.0.weight"] = [16, 8], ["net.0.bias"] = [16],
            ["net.1.weight"] = [16], ["net.1.bias"] = [16], ["net.1.running_mean"] = [16], ["net.1.running_var"] = [16],
            ["net.1.num_batches_tracked"] = [],
            ["net.3.weight"] = [4, 16],
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), shapes.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected) Assert.Equal(shape, shapes[key]);
    }

    [Fact]
    public void MlpHead_TrainMode_NormalizesHiddenUnitsOverTheBatch()
    {
        using var scope = NewDisposeScope();
        using var head = new MlpHead(8, 16, 4);
        head.train();
        var x = randn(32, 8) * 5 + 3;                                            // [R, 8]

        var y = head.call(x);                                                    // [R, 4]

        // Without a bias, the output is W3 @ relu(BN(.)); compare against the same composition by hand.
        var parameters = head.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var hidden = nn.functional.linear(x, parameters["net.0.weight"], parameters["net.0.bias"]);
        var normalized = (hidden - hidden.mean([0])) / (hidden.var(0, unbiased: false) + 1e-5).sqrt();
        var expected = nn.functional.linear(nn.functional.relu(normalized), parameters["net.3.weight"]);
        Assert.Equal(new long[] { 32, 4 }, y.shape);
        Assert.True((y - expected).abs().max().item<float>() < 1e-4f);
    }
}
