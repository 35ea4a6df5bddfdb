using Scrl.Core.Augment;
using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

/// <summary>The augmenters leave only their results in the caller's scope and never take over its inputs.</summary>
public sealed class AugmentDisposalTests
{
    private static Tensor[] Images() =>
        [randint(0, 256, [3, 30, 41], dtype: ScalarType.Byte), randint(0, 256, [3, 50, 37], dtype: ScalarType.Byte)];

    [Fact]
    public void Apply_InCallerScope_LeavesOnlyTheTwoViews()
    {
        var images = Images();
        var augmenter = new TwoViewAugmenter(new AugmentOptions { InputSize = 24 });
        using (var scope = NewDisposeScope())
        {
            var views = augmenter.Apply(images, [SeededRandom.For(1, 0, 0), SeededRandom.For(1, 0, 1)]);
            Assert.Equal(2, scope.DisposablesCount);
            Assert.True(scope.Contains(views.View1) && scope.Contains(views.View2));
        }
        Assert.Equal(3, images[0].shape[0]);   // inputs survive the caller's scope
    }

    [Fact]
    public void EvalTransform_InCallerScope_LeavesOnlyTheBatch()
    {
        var images = Images();
        var transform = new EvalTransform(new AugmentOptions { InputSize = 24 });
        using var scope = NewDisposeScope();
        var batch = transform.Apply(images);
        Assert.Equal(1, scope.DisposablesCount);
        Assert.Equal([2L, 3, 24, 24], batch.shape);
    }

    [Fact]
    public void BatchOps_WithNothingToDo_ReturnNewHandlesAndKeepTheInputAlive()
    {
        var input = rand(2, 3, 8, 8).DetachFromDisposeScope();
        using (NewDisposeScope())
        {
            Assert.NotSame(input, ColorJitter.Apply(input, [null, null]));
            Assert.NotSame(input, ResizeBlur.Apply(input, [null, null]));
            Assert.NotSame(input, GaussianBlur.Apply(input, 3, [null, null]));
        }
        Assert.Equal(0.0, (input - input).abs().sum().item<float>());   // still valid after the scope
    }
}
