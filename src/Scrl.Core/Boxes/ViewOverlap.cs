using Scrl.Core.Augment;

namespace Scrl.Core.Boxes;

/// <summary>A box xyxy in the pixels of one square view, continuous coordinates.</summary>
internal readonly record struct ViewBox(double X1, double Y1, double X2, double Y2);

/// <summary>
/// Where two crops of one image overlap, measured in the coarser view's scale (the larger crop). Boxes are
/// sampled on that integer grid, so each side is at least MinSize pixels in both views.
/// </summary>
/// <remarks>Mirrors the intersection step of SCRLBoxGenerator.generate (kakaobrain/scrl models/box_generator.py);
/// the arithmetic keeps the reference's operation order so results agree to the last bit.</remarks>
internal sealed class ViewOverlap
{
    private readonly ViewGeometry _view1, _view2;
    private readonly int _left, _top, _inputSize;
    private readonly double _scaleX1, _scaleY1, _scaleX2, _scaleY2, _coarseXInv, _coarseYInv;

    /// <summary>Overlap width in coarser-view pixels (Python-rounded, banker's rounding).</summary>
    public int Width { get; }

    /// <summary>Overlap height in coarser-view pixels.</summary>
    public int Height { get; }

    private ViewOverlap(ViewGeometry view1, ViewGeometry view2, int inputSize,
                        int left, int top, int right, int bottom)
    {
        (_view1, _view2, _inputSize, _left, _top) = (view1, view2, inputSize, left, top);
        _scaleX1 = (double)inputSize / view1.Width;       // view px per original px
        _scaleY1 = (double)inputSize / view1.Height;
        _scaleX2 = (double)inputSize / view2.Width;
        _scaleY2 = (double)inputSize / view2.Height;
        double coarseX = Math.Min(_scaleX1, _scaleX2), coarseY = Math.Min(_scaleY1, _scaleY2);
        (_coarseXInv, _coarseYInv) = (1 / coarseX, 1 / coarseY);
        Width = (int)Math.Round((right - left) * coarseX, MidpointRounding.ToEven);
        Height = (int)Math.Round((bottom - top) * coarseY, MidpointRounding.ToEven);
    }

    /// <summary>The overlap, or null when the crops are disjoint or the overlap is not wider and taller
    /// than <paramref name="minSize"/> coarser-view pixels (the reference's strict test).</summary>
    public static ViewOverlap? Find(ViewGeometry view1, ViewGeometry view2, int inputSize, int minSize)
    {
        int left = Math.Max(view1.Left, view2.Left), right = Math.Min(view1.Left + view1.Width, view2.Left + view2.Width);
        int top = Math.Max(view1.Top, view2.Top), bottom = Math.Min(view1.Top + view1.Height, view2.Top + view2.Height);
        if (left >= right || top >= bottom) return null;
        var overlap = new ViewOverlap(view1, view2, inputSize, left, top, right, bottom);
        return minSize >= overlap.Width || minSize >= overlap.Height ? null : overlap;
    }

    /// <summary>Maps a box given in overlap pixels (coarser scale, origin at the overlap's top-left corner)
    /// into view 1 or 2, flipping it when that view was flipped. Not clipped.</summary>
    public ViewBox ToView(int view, int x, int y, int width, int height)
    {
        var (geometry, scaleX, scaleY) = view == 1 ? (_view1, _scaleX1, _scaleY1) : (_view2, _scaleX2, _scaleY2);
        double left = x * _coarseXInv * scaleX + (_left - geometry.Left) * scaleX;
        double right = left + width * _coarseXInv * scaleX;
        double top = y * _coarseYInv * scaleY + (_top - geometry.Top) * scaleY;
        double bottom = top + height * _coarseYInv * scaleY;
        if (geometry.Flipped) (left, right) = (_inputSize - right, _inputSize - left);
        return new ViewBox(left, top, right, bottom);
    }
}
