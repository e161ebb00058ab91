using Google.Protobuf;

namespace Portal.Testing;

/// <summary>
/// Writes small ONNX models with the protobuf wire format of onnx.proto (no ONNX exporter is served here):
/// a linear classifier over named float inputs with a softmax score matrix and an arg-max label.
/// </summary>
public static class OnnxModels
{
    /// <summary>
    /// Inputs: one [N,1] float tensor per feature (named after golden columns); outputs: <c>label</c> int64 [N]
    /// (the arg-max class index) and <c>probabilities</c> float [N,classes]. Logits = x·W + b, W row-major [features, classes].
    /// </summary>
    public static byte[] LinearClassifier(IReadOnlyList<string> features, float[] weights, float[] bias)
    {
        var classes = bias.Length;
        var graph = new List<byte[]>();
        graph.Add(Node("Concat", [.. features], ["x"], Attribute("axis", 1)));
        graph.Add(Node("MatMul", ["x", "W"], ["xw"]));
        graph.Add(Node("Add", ["xw", "B"], ["logits"]));
        graph.Add(Node("Softmax", ["logits"], ["probabilities"], Attribute("axis", 1)));
        graph.Add(Node("ArgMax", ["logits"], ["label"], Attribute("axis", 1), Attribute("keepdims", 0)));
        var g = Message(w =>
        {
            foreach (var node in graph)
                Bytes(w, 1, node);
            String(w, 2, "linear-classifier");
            Bytes(w, 5, Tensor("W", [features.Count, classes], weights));
            Bytes(w, 5, Tensor("B", [classes], bias));
            foreach (var f in features)
                Bytes(w, 11, ValueInfo(f, 1, ["N", "1"]));
            Bytes(w, 12, ValueInfo("label", 7, ["N"]));
            Bytes(w, 12, ValueInfo("probabilities", 1, ["N", classes.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        });
        return Message(w =>
        {
            Int(w, 1, 8);
            String(w, 2, "portal-tests");
            Bytes(w, 7, g);
            Bytes(w, 8, Message(o => { String(o, 1, ""); Int(o, 2, 13); }));
        });
    }

    /// <summary>The class the model above predicts for one row, computed by hand for the tests' expectations.</summary>
    public static int Predict(float[] row, float[] weights, float[] bias)
    {
        var classes = bias.Length;
        var best = 0;
        var bestLogit = float.NegativeInfinity;
        for (var c = 0; c < classes; c++)
        {
            var logit = bias[c];
            for (var f = 0; f < row.Length; f++)
                logit += row[f] * weights[f * classes + c];
            if (logit > bestLogit)
            {
                bestLogit = logit;
                best = c;
            }
        }
        return best;
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes) => Message(w =>
    {
        foreach (var i in inputs)
            String(w, 1, i);
        foreach (var o in outputs)
            String(w, 2, o);
        String(w, 3, op.ToLowerInvariant());
        String(w, 4, op);
        foreach (var a in attributes)
            Bytes(w, 5, a);
    });

    private static byte[] Attribute(string name, long value) => Message(w =>
    {
        String(w, 1, name);
        Int(w, 3, value);
        Int(w, 20, 2);
    });

    private static byte[] Tensor(string name, long[] dims, float[] values) => Message(w =>
    {
        foreach (var d in dims)
            Int(w, 1, d);
        Int(w, 2, 1);
        w.WriteTag(4, WireFormat.WireType.LengthDelimited);
        w.WriteLength(values.Length * 4);
        foreach (var v in values)
            w.WriteFloat(v);
        String(w, 8, name);
    });

    /// <summary>A tensor's name, element type (1 float, 7 int64) and shape; text dimensions are symbolic (the batch).</summary>
    private static byte[] ValueInfo(string name, int elementType, string[] dims) => Message(w =>
    {
        String(w, 1, name);
        Bytes(w, 2, Message(t => Bytes(t, 1, Message(tensor =>
        {
            Int(tensor, 1, elementType);
            Bytes(tensor, 2, Message(shape =>
            {
                foreach (var d in dims)
                    Bytes(shape, 1, Message(dim =>
                    {
                        if (long.TryParse(d, out var size))
                            Int(dim, 1, size);
                        else
                            String(dim, 2, d);
                    }));
            }));
        }))));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new CodedOutputStream(buffer, leaveOpen: true))
            write(w);
        return buffer.ToArray();
    }

    private static void Int(CodedOutputStream w, int field, long value)
    {
        w.WriteTag(field, WireFormat.WireType.Varint);
        w.WriteInt64(value);
    }

    private static void String(CodedOutputStream w, int field, string value)
    {
        w.WriteTag(field, WireFormat.WireType.LengthDelimited);
        w.WriteString(value);
    }

    private static void Bytes(CodedOutputStream w, int field, byte[] value)
    {
        w.WriteTag(field, WireFormat.WireType.LengthDelimited);
        w.WriteBytes(ByteString.CopyFrom(value));
    }
}
