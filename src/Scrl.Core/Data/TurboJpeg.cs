using System.Runtime.InteropServices;

namespace Scrl.Core.Data;

/// <summary>
/// JPEG decoding through the system's libjpeg-turbo (TurboJPEG API, Debian's <c>libturbojpeg0</c>), when it is
/// installed. SkiaSharp bundles libjpeg-turbo without its SIMD code; the system build decodes the same pixels
/// (islow IDCT, fancy upsampling: PIL's defaults) 1.7x to 2.3x faster.
/// </summary>
/// <remarks>
/// Loaded once, by name, on first use; where the library is missing every call answers "not decoded" and callers
/// use Skia. A decode that libjpeg would only warn about (a truncated file, which it pads with grey) fails here.
/// Thread-safe: every image gets its own TurboJPEG handle.
/// </remarks>
internal static unsafe class TurboJpeg
{
    private const int PixelFormatRgb = 0;          // TJPF_RGB
    private const int StopOnWarning = 1 << 13;     // TJFLAG_STOPONWARNING
    private const int ColorspaceCmyk = 3;          // TJCS_CMYK
    private const int ColorspaceYcck = 4;          // TJCS_YCCK

    private static readonly delegate* unmanaged<nint> InitDecompress;
    private static readonly delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int> DecompressHeader3;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int> Decompress2;
    private static readonly delegate* unmanaged<nint, int> Destroy;

    static TurboJpeg()
    {
        string[] names = OperatingSystem.IsWindows() ? ["turbojpeg.dll"]
                       : OperatingSystem.IsMacOS() ? ["libturbojpeg.0.dylib", "libturbojpeg.dylib"]
                       : ["libturbojpeg.so.0", "libturbojpeg.so"];
        foreach (string name in names)
        {
            if (!NativeLibrary.TryLoad(name, out nint library)) continue;
            if (NativeLibrary.TryGetExport(library, "tjInitDecompress", out nint init)
                && NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out nint header)
                && NativeLibrary.TryGetExport(library, "tjDecompress2", out nint decompress)
                && NativeLibrary.TryGetExport(library, "tjDestroy", out nint destroy))
            {
                InitDecompress = (delegate* unmanaged<nint>)init;
                DecompressHeader3 = (delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int>)header;
                Decompress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int>)decompress;
                Destroy = (delegate* unmanaged<nint, int>)destroy;
                LibraryName = name;
                return;
            }
            NativeLibrary.Free(library);
        }
    }

    private static ReadOnlySpan<byte> StartOfImage => [0xFF, 0xD8];

    /// <summary>The library file loaded, or null when none was found.</summary>
    public static string? LibraryName { get; }

    public static bool IsAvailable => LibraryName is not null;

    /// <summary>
    /// Reads the header of <paramref name="jpeg"/>, which must stay unchanged until the decoder is disposed. Null when
    /// the library is missing, the header is unreadable, or the image is CMYK (whose conversion is left to Skia).
    /// </summary>
    public static Decompressor? Open(ReadOnlySpan<byte> jpeg)
    {
        if (!IsAvailable || !jpeg.StartsWith(StartOfImage)) return null;
        nint handle = InitDecompress();
        if (handle == 0) return null;
        int width, height, subsampling, colorspace;
        fixed (byte* source = jpeg)
        {
            if (DecompressHeader3(handle, source, (nuint)jpeg.Length, &width, &height, &subsampling, &colorspace) == 0
                && colorspace is not (ColorspaceCmyk or ColorspaceYcck))
                return new Decompressor(handle, width, height);
        }
        Destroy(handle);
        return null;
    }

    /// <summary>One image's TurboJPEG handle, with the size its header gives.</summary>
    public sealed class Decompressor : IDisposable
    {
        private nint _handle;

        internal Decompressor(nint handle, int width, int height)
        {
            _handle = handle;
            Width = width;
            Height = height;
        }

        public int Width { get; }
        public int Height { get; }

        /// <summary>
        /// Decodes <paramref name="jpeg"/> (the bytes given to <see cref="Open"/>) into <paramref name="rgb"/>, row-major
        /// [Height, Width, 3]; false on any error or warning, which the caller's fallback then reports.
        /// </summary>
        public bool TryDecodeRgb(ReadOnlySpan<byte> jpeg, Span<byte> rgb)
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            if (rgb.Length != (long)Width * Height * 3)
                throw new ArgumentException($"Destination holds {rgb.Length} bytes, a {Width}x{Height} RGB image needs {(long)Width * Height * 3}.", nameof(rgb));
            fixed (byte* source = jpeg)
            fixed (byte* destination = rgb)
            {
                return Decompress2(_handle, source, (nuint)jpeg.Length, destination, Width, 0, Height, PixelFormatRgb, StopOnWarning) == 0;
            }
        }

        public void Dispose()
        {
            if (_handle == 0) return;
            Destroy(_handle);
            _handle = 0;
        }
    }
}
