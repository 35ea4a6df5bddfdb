namespace Scrl.Detection.SetPrediction;

/// <summary>The matched pairs of a linear sum assignment, in SciPy's order: row indices ascending.</summary>
/// <remarks>Row <c>Rows[k]</c> is matched to column <c>Columns[k]</c>; there are min(R, C) pairs.</remarks>
public sealed class Assignment
{
    private readonly int[] rows;
    private readonly int[] columns;

    internal Assignment(int[] rows, int[] columns)
    {
        this.rows = rows;
        this.columns = columns;
    }

    /// <summary>The assignment of an empty matrix (zero rows or zero columns).</summary>
    public static Assignment Empty { get; } = new([], []);

    /// <summary>Matched row indices, ascending (SciPy's <c>row_ind</c>).</summary>
    public IReadOnlyList<int> Rows => rows;

    /// <summary>The column matched to each entry of <see cref="Rows"/> (SciPy's <c>col_ind</c>).</summary>
    public IReadOnlyList<int> Columns => columns;

    /// <summary>Number of matched pairs, min(R, C).</summary>
    public int Count => rows.Length;
}
