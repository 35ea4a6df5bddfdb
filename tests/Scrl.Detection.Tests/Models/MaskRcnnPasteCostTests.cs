using System.Diagnostics;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Transform;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>What pasting masks costs next to the inference pass that produces them (the bar: under a tenth).</summary>
[Collection(SerialCollection.Name)]
public class MaskRcnnPasteCostTests(ITestOutputHelper output)
{
    private const int Side = 512;

    [Fact]
    public void PasteAndBinarise_OfA512PxBatchOfTwo_CostUnderATenthOfTheInferencePass()
    {
        // 100 detections per image (no score threshold): the most masks an image can get.
        using var model = MaskRcnn.FromOptions(new MaskRcnnOptions
        {
            Transform = new TransformOptions { MinSize = [Side], MaxSize = Side },
            BoxHead = new BoxHeadOptions { ScoreThreshold = 0.0 },
        });
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] images = [rand(3, Side, Side, generator: new Generator(1)), rand(3, Side, Side, generator: new Generator(2))];
        using (NewDisposeScope()) model.call(images);                                                 // warm-up

        var clock = Stopwatch.StartNew();
        var detections = model.call(images);
        clock.Stop();
        double inference = clock.Elapsed.TotalMilliseconds;
        var small = detections.Select(d => rand([d.Boxes.shape[0], 1, 28, 28], generator: new Generator(3))).ToList();   // [D, 1, 28, 28]

        // What the pass spends on pasting, plus binarising at 0.5 (what evaluation and export do before encoding);
        // each the median of three runs, as the shared CPU is noisy.
        double paste = Median(() =>
        {
            for (int i = 0; i < images.Length; i++)
            {
                using var perImage = NewDisposeScope();
                MaskPaster.Paste(small[i], detections[i].Boxes, (Side, Side));                        // [D, 1, H, W]
            }
        });
        var pasted = small.Select((m, i) => MaskPaster.Paste(m, detections[i].Boxes, (Side, Side))).ToList();
        double binarise = Median(() =>
        {
            foreach (var p in pasted)
            {
                using var perImage = NewDisposeScope();
                p.ge(0.5).to(ScalarType.Byte);                                                         // [D, 1, H, W] uint8
            }
        });

        output.WriteLine($"inference {inference:F0} ms for 2 x {Side}x{Side} px with {detections.Sum(d => d.Boxes.shape[0])} masks " +
                         $"(pasting included); pasting {paste:F0} ms ({100 * paste / inference:F1}%), binarising {binarise:F0} ms ({100 * binarise / inference:F1}%)");
        Assert.All(detections, d => Assert.Equal(100, d.Boxes.shape[0]));
        Assert.True(paste + binarise < 0.1 * inference, $"pasting and binarising took {paste + binarise:F0} ms of a {inference:F0} ms pass");
    }

    private static double Median(Action run)
    {
        var times = new double[3];
        for (int k = 0; k < times.Length; k++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[k] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[1];
    }
}
