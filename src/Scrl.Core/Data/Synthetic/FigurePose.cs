using Scrl.Core.Data.Coco;
using Scrl.Core.Randomness;
using SkiaSharp;

namespace Scrl.Core.Data.Synthetic;

/// <summary>
/// A random standing pose of a stick figure, facing the viewer: COCO's 17 keypoints (so the person's left is the
/// image's right) with human-like proportions, random arm and leg swings, bent elbows and knees and a slight lean.
/// </summary>
internal static class FigurePose
{
    // Proportions in units of the figure's height, from the top of the head.
    private const double ShoulderHalfWidth = 0.12, HipHalfWidth = 0.08, ShoulderY = 0.2, HipY = 0.52;
    private const double UpperArm = 0.17, Forearm = 0.16, Thigh = 0.23, Shin = 0.22;

    /// <summary>Keypoints of a figure <paramref name="height"/> px tall whose head top is at (<paramref name="x"/>, <paramref name="top"/>).</summary>
    public static SKPoint[] Sample(double x, double top, double height, IRandomSource random)
    {
        var p = new (double X, double Y)[CocoPersonKeypoints.Count];
        p[0] = (0, 0.09);                                     // nose
        p[1] = (0.025, 0.07); p[2] = (-0.025, 0.07);           // eyes
        p[3] = (0.05, 0.08); p[4] = (-0.05, 0.08);             // ears
        p[5] = (ShoulderHalfWidth, ShoulderY); p[6] = (-ShoulderHalfWidth, ShoulderY);
        p[11] = (HipHalfWidth, HipY); p[12] = (-HipHalfWidth, HipY);
        foreach (int side in new[] { 1, -1 })
        {
            int s = side > 0 ? 0 : 1;                          // 0: person's left (image right)
            // Angles from straight down, positive outwards.
            double arm = Deg(random.Uniform(-20, 150)), elbow = arm + Deg(random.Uniform(-90, 10));
            (p[7 + s], p[9 + s]) = Limb(p[5 + s], side, arm, UpperArm, elbow, Forearm);
            double leg = Deg(random.Uniform(-10, 35)), knee = leg - Deg(random.Uniform(0, 50));
            (p[13 + s], p[15 + s]) = Limb(p[11 + s], side, leg, Thigh, knee, Shin);
        }
        double lean = Deg(random.Uniform(-12, 12));
        double cos = Math.Cos(lean), sin = Math.Sin(lean);
        return [.. p.Select(q => new SKPoint((float)(x + height * (q.X * cos - (q.Y - HipY) * sin)),
                                             (float)(top + height * (HipY + q.X * sin + (q.Y - HipY) * cos))))];
    }

    private static ((double, double) Joint, (double, double) End) Limb((double X, double Y) root, int side, double first, double firstLength,
                                                                      double second, double secondLength)
    {
        var joint = (root.X + side * firstLength * Math.Sin(first), root.Y + firstLength * Math.Cos(first));
        var end = (joint.Item1 + side * secondLength * Math.Sin(second), joint.Item2 + secondLength * Math.Cos(second));
        return (joint, end);
    }

    private static double Deg(double degrees) => degrees * Math.PI / 180;
}
