using Scrl.Detection.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

public sealed class FrozenBatchNormTests
{
    [Fact]
    public void Forward_InSuccessiveDisposeScopes_EqualsBatchNormInEvalMode()
    {
        using var frozen = new FrozenBatchNorm2d(3);
        using var reference = nn.BatchNorm2d(3);
        using (no_grad())
        {
            foreach (var (name, value) in new[] { ("weight", tensor(new[] { 0.5f, 2f, -1f })), ("bias", tensor(new[] { 0.1f, 0f, 3f })),
                                                  ("running_mean", tensor(new[] { 1f, -2f, 0.5f })), ("running_var", tensor(new[] { 4f, 0.25f, 1f })) })
            {
                frozen.get_buffer(name)!.copy_(value);
                (reference.get_parameter(name) ?? reference.get_buffer(name))!.copy_(value);
            }
        }
        reference.eval();
        using var input = randn(2, 3, 4, 5, generator: new Generator(7));

        // Every training step runs in its own scope; the module must keep working after the first one ends.
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            Assert.True(frozen.call(input).allclose(reference.call(input), rtol: 1e-5, atol: 1e-6), $"step {step}");
        }
        Assert.Equal(["weight", "bias", "running_mean", "running_var"], frozen.state_dict().Keys);
    }
}
