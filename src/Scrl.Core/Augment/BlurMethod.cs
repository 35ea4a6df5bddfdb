namespace Scrl.Core.Augment;

/// <summary>Which blur the views use.</summary>
public enum BlurMethod
{
    /// <summary>The official code's ResizeBlur: bicubic down by 1.1, 1.2 or 1.5, then back up.</summary>
    Resize,

    /// <summary>The paper text: Gaussian, kernel int(0.1*size) made odd, sigma U[0.1, 2.0], reflect padding.</summary>
    Gaussian,
}
