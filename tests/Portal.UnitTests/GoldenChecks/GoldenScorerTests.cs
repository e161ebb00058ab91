using Portal.Core.GoldenChecks;

namespace Portal.UnitTests.GoldenChecks;

public class GoldenScorerTests
{
    // Ten rows, two regions. Labels and predictions chosen so every figure is easy to count by hand.
    private static readonly string[] Labels = ["1", "1", "1", "0", "0", "1", "1", "0", "0", "0"];
    private static readonly string[] Predicted = ["1", "1", "0", "0", "1", "1", "0", "0", "0", "1"];
    private static readonly string[] Region = ["eu", "eu", "eu", "eu", "eu", "us", "us", "us", "us", "us"];
    private static readonly double[] Scores = [0.9, 0.8, 0.4, 0.3, 0.6, 0.7, 0.2, 0.1, 0.35, 0.65];

    private static double Figure(IReadOnlyList<GoldenFigure> figures, string metric, string slice = "") =>
        figures.Single(f => f.Metric == metric && f.Slice == slice).Value;

    private static IReadOnlyList<GoldenFigure> Score(params string[] metrics) => GoldenScorer.Score(metrics, Labels, new Predictions(Predicted, Scores, null),
        new Dictionary<string, IReadOnlyList<string>> { ["region"] = Region }, "1");

    [Fact]
    public void Accuracy_precision_recall_and_macro_f1_match_a_hand_count()
    {
        var figures = Score("accuracy", "precision", "recall", "macro-f1");

        // Correct: rows 1,2,4,6,8,9 → 6 of 10. Predicted positive: 1,2,5,6,10 (3 true). Positive labels: 1,2,3,6,7 (3 found).
        Assert.Equal(0.6, Figure(figures, "accuracy"), 10);
        Assert.Equal(3 / 5.0, Figure(figures, "precision"), 10);
        Assert.Equal(3 / 5.0, Figure(figures, "recall"), 10);
        // Class 1: tp 3, fp 2, fn 2 → F1 0.6; class 0: tp 3, fp 2, fn 2 → 0.6.
        Assert.Equal(0.6, Figure(figures, "macro-f1"), 10);
        // Per slice: eu rows 1-5 → correct 1,2,4 = 3/5; us rows 6-10 → correct 6,8,9 = 3/5.
        Assert.Equal(0.6, Figure(figures, "accuracy", "region=eu"), 10);
        Assert.Equal(0.6, Figure(figures, "accuracy", "region=us"), 10);
    }

    [Fact]
    public void Demographic_parity_and_equal_opportunity_differences_compare_the_groups_of_a_slice_column()
    {
        var figures = Score("demographic-parity-difference", "equal-opportunity-difference");

        // Predicted positive: eu 3 of 5 (rows 1,2,5), us 2 of 5 (rows 6,10) → 0.6 − 0.4.
        Assert.Equal(0.2, Figure(figures, "demographic-parity-difference", "region"), 10);
        // Recall: eu positives 1,2,3 → 2 found (2/3); us positives 6,7 → 1 found (1/2).
        Assert.Equal(2 / 3.0 - 1 / 2.0, Figure(figures, "equal-opportunity-difference", "region"), 10);
        Assert.DoesNotContain(figures, f => f.Slice == "");
    }

    [Fact]
    public void Auc_is_the_share_of_positive_negative_pairs_ranked_correctly()
    {
        var figures = Score("auc");

        // Positives' scores 0.9 0.8 0.4 0.7 0.2 against negatives' 0.3 0.6 0.1 0.35 0.65:
        // 0.9→5, 0.8→5, 0.4→3, 0.7→5, 0.2→1 pairs won = 19 of 25.
        Assert.Equal(19 / 25.0, Figure(figures, "auc"), 10);
    }

    [Fact]
    public void Tied_scores_count_half_in_the_auc()
    {
        var figures = GoldenScorer.Score(["auc"], ["1", "0"], new Predictions(["1", "1"], [0.5, 0.5], null), new Dictionary<string, IReadOnlyList<string>>(), "1");

        Assert.Equal(0.5, Figure(figures, "auc"), 10);
    }

    [Fact]
    public void Rmse_and_mae_compare_predicted_numbers_with_numeric_labels()
    {
        var figures = GoldenScorer.Score(["rmse", "mae"], ["1", "2", "4"], new Predictions(null, null, [1, 3, 2]), new Dictionary<string, IReadOnlyList<string>>(), null);

        // Errors 0, 1, −2: squares 0, 1, 4 → sqrt(5/3); absolute 0, 1, 2 → 1.
        Assert.Equal(Math.Sqrt(5 / 3.0), Figure(figures, "rmse"), 10);
        Assert.Equal(1.0, Figure(figures, "mae"), 10);
    }

    [Fact]
    public void A_model_answering_a_different_number_of_rows_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => GoldenScorer.Score(["accuracy"], ["1", "0"], new Predictions(["1"], null, null),
            new Dictionary<string, IReadOnlyList<string>>(), null));
    }
}
