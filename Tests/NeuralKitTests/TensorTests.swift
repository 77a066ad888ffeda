import NeuralKit
import Testing

@Suite("Tensor · construction")
struct TensorConstruction {
    @Test("scalars are stored row-major: the last index varies fastest")
    func rowMajorStorage() {
        let t = withoutProblems { Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]) }
        #expect(t.shape == [2, 3])
        #expect(t.rank == 2 && t.count == 6)
        #expect(t[0, 2] == 3 && t[1, 0] == 4)
        #expect(t.rowCount == 2 && t.columnCount == 3)
    }

    @Test("a matrix from rows, a vector, zeros, ones and a repeated value")
    func convenienceInitializers() {
        withoutProblems {
            #expect(Tensor([[1, 2], [3, 4], [5, 6]]) == Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
            #expect(Tensor([7, 8, 9]).shape == [3])
            #expect(Tensor(zeros: [2, 4]).scalars == Array(repeating: 0, count: 8))
            #expect(Tensor(ones: [3]).scalars == [1, 1, 1])
            #expect(Tensor(repeating: 2.5, shape: [1, 2]).scalars == [2.5, 2.5])
            #expect(Tensor(shape: [2, 2]) { Double($0) * 10 }.scalars == [0, 10, 20, 30])
        }
    }

    @Test("a rank-0 tensor holds one scalar, read with an empty subscript")
    func rankZero() {
        let t = withoutProblems { Tensor(shape: [], scalars: [5]) }
        #expect(t.rank == 0 && t.count == 1)
        #expect(withoutProblems { t[] } == 5)
    }

    @Test("empty shapes are allowed: a dimension of size 0, or no rows")
    func emptyTensors() {
        withoutProblems {
            #expect(Tensor(zeros: [0, 3]).count == 0)
            #expect(Tensor([[Double]]()).shape == [0, 0])
            #expect(Tensor([Double]()).shape == [0])
        }
    }

    @Test("the wrong number of scalars is a problem that names both counts, and gives zeros of the shape")
    func wrongScalarCount() {
        let (t, messages) = recordingProblems { Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5]) }
        #expect(messages == ["Tensor(shape: [2, 3], scalars:) needs 6 scalars, got 5"])
        #expect(t == Tensor(zeros: [2, 3]))
    }

    @Test("rows of different lengths are a problem that lists the lengths")
    func raggedRows() {
        let (t, messages) = recordingProblems { Tensor([[1, 2, 3], [4, 5]]) }
        #expect(messages.count == 1)
        #expect(messages.first?.contains("rows have different lengths [3, 2]") == true)
        #expect(t == Tensor(zeros: [2, 3]))
    }

    @Test("a negative size is a problem, never a crash", arguments: [[-1], [2, -3], [-2, -2]])
    func negativeSizes(shape: [Int]) {
        for make in [
            { Tensor(zeros: shape) }, { Tensor(shape: shape, scalars: []) },
            { Tensor(shape: shape) { _ in 1 } }, { Tensor(repeating: 3, shape: shape) },
        ] {
            let (t, messages) = recordingProblems(make)
            #expect(messages.count == 1)
            #expect(messages.first?.contains("must not be negative") == true)
            #expect(t.count == 0)
        }
        var generator = SeededGenerator(seed: 1)
        let (_, messages) = recordingProblems { Tensor.normal(shape: shape, using: &generator) }
        #expect(messages.first?.contains("must not be negative") == true)
    }

    @Test("printing shows nested rows, trims zeros and elides long dimensions")
    func description() {
        #expect(Tensor([[1, 2.5], [-3, 0]]).description == "[[1, 2.5],\n [-3, 0]]")
        #expect(Tensor((0..<20).map(Double.init)).description == "[0, 1, 2, …, 17, 18, 19]")
        #expect(Tensor(zeros: [0, 2]).description == "Tensor(shape: [0, 2], [])")
        #expect(Tensor([0.123456, .nan, 1e9]).description == "[0.1235, nan, 1000000000.0]")
    }
}

@Suite("Tensor · element access")
struct TensorSubscripts {
    @Test("reads and writes by (row, column) and by any number of indices")
    func readAndWrite() {
        var m = Tensor(zeros: [2, 3])
        var c = counting([2, 3, 4])
        withoutProblems {
            m[1, 2] = 7
            c[1, 2, 3] = -1
            #expect(c[0, 1, 2] == 7)
        }
        #expect(m.scalars == [0, 0, 0, 0, 0, 7])
        #expect(c.scalars.last == -1)
    }

    @Test(
        "an out-of-range index is a problem: reading gives 0, writing changes nothing",
        arguments: [[2, 0], [0, 3], [-1, 0], [0, -1]])
    func outOfRange(index: [Int]) {
        var t = counting([2, 3])
        let (value, messages) = recordingProblems { t[index[0], index[1]] }
        #expect(value == 0)
        #expect(messages == ["index \(index) is out of range for shape [2, 3]"])
        let (_, writeMessages) = recordingProblems { t[index[0], index[1]] = 99 }
        #expect(writeMessages.count == 1)
        #expect(t == counting([2, 3]))
    }

    @Test("an out-of-range index of a rank-3 tensor is a problem")
    func outOfRangeRank3() {
        var t = counting([2, 3, 4])
        let (value, messages) = recordingProblems { t[1, 3, 0] }
        #expect(value == 0 && messages == ["index [1, 3, 0] is out of range for shape [2, 3, 4]"])
        let (_, writeMessages) = recordingProblems { t[0, 0, 4] = 1 }
        #expect(writeMessages.count == 1 && t == counting([2, 3, 4]))
    }

    @Test("the wrong number of indices is a problem that gives both counts")
    func wrongIndexCount() {
        let t = counting([2, 3, 4])
        let (value, messages) = recordingProblems { t[1, 1] }
        #expect(value == 0)
        #expect(messages == ["index [1, 1] has 2 components; the tensor has shape [2, 3, 4]"])
        #expect(recordingProblems { counting([3])[0, 0] }.messages.count == 1)
    }
}

@Suite("Tensor · reshaping, rows and transpose")
struct TensorReshaping {
    @Test("reshaped keeps the scalars in order and infers one size given as -1")
    func reshapedInfersSize() {
        let t = counting([2, 3, 4])
        withoutProblems {
            #expect(t.reshaped([6, 4]) == Tensor(shape: [6, 4], scalars: t.scalars))
            #expect(t.reshaped([-1, 4]).shape == [6, 4])
            #expect(t.reshaped([2, -1]).shape == [2, 12])
            #expect(t.reshaped([-1]).shape == [24])
            #expect(t.flattenedBatch().shape == [2, 12])
            #expect(Tensor(zeros: [0, 5]).reshaped([-1, 5]).shape == [0, 5])
        }
    }

    @Test(
        "a reshape to another count is a problem and gives zeros of the asked shape",
        arguments: [[5, 5], [5, -1], [-1, -1], [-2, 12], [0, -1]])
    func badReshape(shape: [Int]) {
        let (t, messages) = recordingProblems { counting([2, 3, 4]).reshaped(shape) }
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("cannot reshape [2, 3, 4] (24 scalars) to") == true)
        #expect(t.shape.allSatisfy { $0 >= 0 } && t.scalars.allSatisfy { $0 == 0 })
    }

    @Test("rows(_:) picks slices along the first dimension in the given order, repeats allowed")
    func rowsPicksInOrder() {
        let m = counting([4, 2])
        withoutProblems {
            #expect(m.rows([2, 0, 2]) == Tensor([[5, 6], [1, 2], [5, 6]]))
            #expect(m.rows(1..<3) == Tensor([[3, 4], [5, 6]]))
            #expect(m.rows([]).shape == [0, 2])
            #expect(m.row(3) == Tensor([7, 8]))
            let images = counting([3, 2, 2])
            #expect(images.rows([1]) == Tensor(shape: [1, 2, 2], scalars: [5, 6, 7, 8]))
        }
    }

    @Test(
        "an out-of-range row is a problem that gives the row count; its slot is zeros",
        arguments: [3, -1, 100])
    func rowsOutOfRange(row: Int) {
        let (t, messages) = recordingProblems { counting([3, 2]).rows([0, row]) }
        #expect(messages == ["row \(row) is out of range: the tensor has 3 rows (shape [3, 2])"])
        #expect(t == Tensor([[1, 2], [0, 0]]))
    }

    @Test("rows of a tensor with no rows is one problem and keeps the row width")
    func rowsOfEmpty() {
        let (t, messages) = recordingProblems { Tensor(zeros: [0, 3]).rows([0]) }
        #expect(messages == ["row 0 is out of range: the tensor has 0 rows (shape [0, 3])"])
        #expect(t == Tensor(zeros: [1, 3]))
    }

    @Test("rows of a rank-0 tensor is a problem")
    func rowsOfScalar() {
        let (_, messages) = recordingProblems { Tensor(shape: [], scalars: [1]).rows([0]) }
        #expect(messages.first?.contains("rank 1 or more") == true)
    }

    @Test("transposed swaps rows and columns of a non-square matrix")
    func transposed() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        let t = withoutProblems { m.transposed() }
        #expect(t == Tensor([[1, 4], [2, 5], [3, 6]]))
        #expect(withoutProblems { t.transposed() } == m)
        #expect(withoutProblems { Tensor(zeros: [0, 3]).transposed() }.shape == [3, 0])
    }

    @Test("transposing a tensor that is not a matrix is a problem", arguments: [[3], [2, 3, 4]])
    func transposeNeedsMatrix(shape: [Int]) {
        let (t, messages) = recordingProblems { counting(shape).transposed() }
        #expect(messages == ["transposed() needs a matrix (rank 2), got shape \(shape)"])
        #expect(t.shape == shape)
    }
}
