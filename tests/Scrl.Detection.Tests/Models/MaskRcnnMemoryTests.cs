using Scrl.Detection.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

[Collection(SerialCollection.Name)]
public class MaskRcnnMemoryTests(ITestOutputHelper output)
{
    /// <summary>A training step (losses, backward, SGD) and an inference pass with pasted masks, each in its own
    /// scope as the trainer and predictor open them: nothing the mask branch or the paster allocates may outlive them.</summary>
    [Fact]
    public void TrainAndDetect_SixSteps_KeepLiveTensorCountFlat()
    {
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(numClasses: 4));
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        Tensor[] images = [rand(3, 128, 128, generator: new Generator(1)), rand(3, 112, 128, generator: new Generator(2))];
        DetectionTarget[] targets =
        [
            TinyMaskRcnn.Ellipses(tensor(new float[] { 10, 12, 70, 90, 60, 20, 120, 60 }).view(2, 4), tensor(new long[] { 1, 3 }), 128, 128),
            TinyMaskRcnn.Ellipses(tensor(new float[] { 30, 30, 100, 100 }).view(1, 4), tensor(new long[] { 2 }), 112, 128),
        ];
        var counts = new List<long>();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        for (int step = 0; step < 6; step++)
        {
            using (NewDisposeScope())
            {
                model.train();
                var losses = model.Losses(images, targets, new Generator((ulong)step));
                optimizer.zero_grad();
                losses.Total().backward();
                optimizer.step();
            }
            using (NewDisposeScope())
            using (no_grad())
            {
                model.eval();
                var detections = model.call(images);
                Assert.All(detections, d => Assert.Equal(4, d.Masks!.dim()));
            }
            counts.Add(Tensor.TotalCount);
        }

        output.WriteLine($"live tensors per step: {string.Join(", ", counts)}");
        Assert.True(counts.Skip(1).Distinct().Count() == 1, $"live tensors drift: {string.Join(", ", counts)}");
    }
}
