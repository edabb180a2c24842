"""Rotation conversions: conventions, round trips, edge angles, numpy == torch, gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from interx.body import rotations as rn
from interx.body import rotations_torch as rt

FAST = settings(max_examples=40, deadline=None)

FUNCTIONS = {
    # name: (input kind, output trailing shape)
    "axis_angle_to_matrix": ("aa", (3, 3)),
    "matrix_to_axis_angle": ("R", (3,)),
    "axis_angle_to_quaternion": ("aa", (4,)),
    "quaternion_to_axis_angle": ("q", (3,)),
    "quaternion_to_matrix": ("q", (3, 3)),
    "matrix_to_quaternion": ("R", (4,)),
    "matrix_to_rotation_6d": ("R", (6,)),
    "rotation_6d_to_matrix": ("d6", (3, 3)),
    "axis_angle_to_rotation_6d": ("aa", (6,)),
    "rotation_6d_to_axis_angle": ("d6", (3,)),
}
TAILS = {"aa": (3,), "q": (4,), "R": (3, 3), "d6": (6,)}


def make_input(kind: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    if kind == "R":
        return rn.axis_angle_to_matrix(rng.normal(size=shape + (3,)))
    return rng.normal(size=shape + TAILS[kind])


def skew(v: np.ndarray) -> np.ndarray:
    x, y, z = v
    return np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])


def rodrigues_reference(aa: np.ndarray) -> np.ndarray:
    """Textbook Rodrigues with unit axis; accurate for angles well away from 0."""
    angle = np.linalg.norm(aa)
    K = skew(aa / angle)
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


def assert_rotation(R: np.ndarray, atol: float = 1e-12) -> None:
    eye = np.broadcast_to(np.eye(3), R.shape)
    np.testing.assert_allclose(R @ np.swapaxes(R, -1, -2), eye, atol=atol)
    np.testing.assert_allclose(np.linalg.det(R), 1.0, atol=atol)


def assert_same_quaternion(q1: np.ndarray, q2: np.ndarray, atol: float) -> None:
    """q and -q are the same rotation."""
    dot = np.abs(np.sum(q1 * q2, axis=-1))
    np.testing.assert_allclose(dot, np.linalg.norm(q1, axis=-1) * np.linalg.norm(q2, axis=-1), atol=atol)


# Batches of 1 to 8 rotation vectors; hypothesis reaches zeros, tiny values and angles past pi.
rotation_vectors = hnp.arrays(
    np.float64,
    st.integers(1, 8).map(lambda n: (n, 3)),
    elements=st.floats(-4.0, 4.0, allow_nan=False, allow_subnormal=False),
)


def _lift_small(q: np.ndarray) -> np.ndarray:
    small = np.linalg.norm(q, axis=-1, keepdims=True) < 0.1
    return q + small * np.array([1.0, 0.0, 0.0, 0.0])


quaternions = hnp.arrays(
    np.float64,
    st.integers(1, 8).map(lambda n: (n, 4)),
    elements=st.floats(-1.0, 1.0, allow_nan=False, allow_subnormal=False),
).map(_lift_small)


# --- API and conventions ------------------------------------------------------------


def test_both_modules_export_the_same_functions():
    assert sorted(rn.__all__) == sorted(FUNCTIONS)
    assert sorted(rt.__all__) == sorted(FUNCTIONS)
    for name in FUNCTIONS:
        assert callable(getattr(rn, name)) and callable(getattr(rt, name))


@pytest.mark.parametrize("angle", [0.3, -1.2, np.pi / 2, 2.5, np.pi])
def test_rotation_about_plus_y_maps_plus_z_to_sin_zero_cos(angle):
    expected = np.array([np.sin(angle), 0.0, np.cos(angle)])
    R = rn.axis_angle_to_matrix(np.array([0.0, angle, 0.0]))
    np.testing.assert_allclose(R @ np.array([0.0, 0.0, 1.0]), expected, atol=1e-15)
    Rt = rt.axis_angle_to_matrix(torch.tensor([0.0, angle, 0.0], dtype=torch.float64))
    np.testing.assert_allclose(Rt.numpy() @ np.array([0.0, 0.0, 1.0]), expected, atol=1e-15)


def test_right_hand_rule_about_z_and_scalar_first_quaternion():
    aa = np.array([0.0, 0.0, np.pi / 2])
    np.testing.assert_allclose(rn.axis_angle_to_matrix(aa) @ [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], atol=1e-15)
    half = np.sqrt(0.5)
    np.testing.assert_allclose(rn.axis_angle_to_quaternion(aa), [half, 0.0, 0.0, half], atol=1e-15)
    np.testing.assert_allclose(rn.quaternion_to_matrix([half, 0.0, 0.0, half]), rn.axis_angle_to_matrix(aa), atol=1e-15)


def test_matches_textbook_rodrigues_on_both_sides_of_the_series_threshold():
    rng = np.random.default_rng(0)
    axes = rng.normal(size=(40, 3))
    axes /= np.linalg.norm(axes, axis=-1, keepdims=True)
    angles = np.concatenate([np.linspace(1e-3, 3.0, 30), 0.1 + np.array([-1e-9, 0.0, 1e-9, -1e-3, 1e-3]), [0.05] * 5])
    aa = axes * angles[:, None]
    expected = np.stack([rodrigues_reference(v) for v in aa])
    np.testing.assert_allclose(rn.axis_angle_to_matrix(aa), expected, atol=2e-15)
    np.testing.assert_allclose(rt.axis_angle_to_matrix(torch.from_numpy(aa)).numpy(), expected, atol=2e-15)


def test_6d_is_the_first_two_rows():
    R = rn.axis_angle_to_matrix(np.array([0.4, -1.1, 2.0]))
    d6 = rn.matrix_to_rotation_6d(R)
    np.testing.assert_array_equal(d6, np.concatenate([R[0], R[1]]))
    np.testing.assert_array_equal(rt.matrix_to_rotation_6d(torch.from_numpy(R)).numpy(), d6)


def test_6d_gram_schmidt_builds_rows():
    d6 = np.array([2.0, 0.0, 0.0, 5.0, 3.0, 0.0])  # a1 along x, a2 has an x part to remove
    expected = np.eye(3)
    np.testing.assert_allclose(rn.rotation_6d_to_matrix(d6), expected, atol=1e-15)
    d6 = np.array([0.0, 0.0, 3.0, 1.0, 0.0, 7.0])  # rows z, x, then z × x = y
    expected = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    np.testing.assert_allclose(rn.rotation_6d_to_matrix(d6), expected, atol=1e-15)
    np.testing.assert_allclose(rt.rotation_6d_to_matrix(torch.from_numpy(d6)).numpy(), expected, atol=1e-15)


# --- property tests -----------------------------------------------------------------


@FAST
@given(rotation_vectors)
def test_axis_angle_matrices_are_rotations(aa):
    assert_rotation(rn.axis_angle_to_matrix(aa))
    assert_rotation(rt.axis_angle_to_matrix(torch.from_numpy(aa)).numpy())


@FAST
@given(rotation_vectors)
def test_axis_angle_matrix_round_trip(aa):
    R = rn.axis_angle_to_matrix(aa)
    back = rn.matrix_to_axis_angle(R)
    angle = np.linalg.norm(back, axis=-1)
    assert np.all(angle <= np.pi + 1e-12)
    np.testing.assert_allclose(rn.axis_angle_to_matrix(back), R, atol=1e-12)
    below_pi = np.linalg.norm(aa, axis=-1) < np.pi - 1e-3
    np.testing.assert_allclose(back[below_pi], aa[below_pi], atol=1e-11)
    back_t = rt.matrix_to_axis_angle(torch.from_numpy(R)).numpy()
    np.testing.assert_allclose(back_t[below_pi], aa[below_pi], atol=1e-11)
    # The inverse is the transpose, here a non-contiguous view.
    inverse = np.swapaxes(R, -1, -2)[::-1]
    np.testing.assert_allclose(rn.matrix_to_axis_angle(inverse)[::-1][below_pi], -aa[below_pi], atol=1e-11)
    inverse_t = torch.from_numpy(R).mT.flip(0)
    np.testing.assert_allclose(rt.matrix_to_axis_angle(inverse_t).flip(0).numpy()[below_pi], -aa[below_pi], atol=1e-11)


@FAST
@given(quaternions)
def test_quaternion_round_trips(q):
    unit = q / np.linalg.norm(q, axis=-1, keepdims=True)
    from_matrix = rn.matrix_to_quaternion(rn.quaternion_to_matrix(q))
    assert_same_quaternion(from_matrix, unit, atol=1e-12)
    assert np.all(from_matrix[..., 0] >= 0)
    np.testing.assert_allclose(np.linalg.norm(from_matrix, axis=-1), 1.0, atol=1e-12)
    assert_same_quaternion(rn.axis_angle_to_quaternion(rn.quaternion_to_axis_angle(q)), unit, atol=1e-12)
    not_half_turn = q[..., 0] != 0  # at w == 0 both +aa and -aa are right
    np.testing.assert_allclose(
        rn.quaternion_to_axis_angle(-q)[not_half_turn], rn.quaternion_to_axis_angle(q)[not_half_turn], atol=1e-12
    )
    np.testing.assert_allclose(
        rn.axis_angle_to_matrix(rn.quaternion_to_axis_angle(q)), rn.quaternion_to_matrix(q), atol=1e-12
    )


@FAST
@given(rotation_vectors)
def test_axis_angle_quaternion_agrees_with_matrix(aa):
    q = rn.axis_angle_to_quaternion(aa)
    np.testing.assert_allclose(np.linalg.norm(q, axis=-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(rn.quaternion_to_matrix(q), rn.axis_angle_to_matrix(aa), atol=1e-12)
    assert_same_quaternion(rn.matrix_to_quaternion(rn.axis_angle_to_matrix(aa)), q, atol=1e-12)


@FAST
@given(
    rotation_vectors,
    st.floats(0.5, 2.0),
    st.floats(0.5, 2.0),
    st.floats(-2.0, 2.0),
)
def test_6d_round_trip_and_gram_schmidt(aa, scale1, scale2, mix):
    R = rn.axis_angle_to_matrix(aa)
    d6 = rn.matrix_to_rotation_6d(R)
    np.testing.assert_array_equal(d6, R[..., :2, :].reshape(-1, 6))
    np.testing.assert_allclose(rn.rotation_6d_to_matrix(d6), R, atol=1e-12)
    # Gram-Schmidt undoes a positive scale of each row and a shear of row 2 along row 1.
    skewed = np.concatenate([scale1 * R[..., 0, :], mix * R[..., 0, :] + scale2 * R[..., 1, :]], axis=-1)
    np.testing.assert_allclose(rn.rotation_6d_to_matrix(skewed), R, atol=1e-12)
    np.testing.assert_allclose(rt.rotation_6d_to_matrix(torch.from_numpy(skewed)).numpy(), R, atol=1e-12)
    np.testing.assert_allclose(rn.rotation_6d_to_axis_angle(rn.axis_angle_to_rotation_6d(aa)),
                               rn.matrix_to_axis_angle(R), atol=1e-12)


@FAST
@given(st.sampled_from(sorted(FUNCTIONS)), st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_torch_equals_numpy_float64(name, seed, n):
    kind, _ = FUNCTIONS[name]
    x = make_input(kind, (n,), np.random.default_rng(seed))
    expected = getattr(rn, name)(x)
    got = getattr(rt, name)(torch.from_numpy(x))
    assert got.dtype == torch.float64
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12, atol=1e-13)


# --- shapes and dtypes --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("shape", [(), (5,), (2, 3, 4)])
def test_leading_batch_shapes(name, shape):
    kind, out_tail = FUNCTIONS[name]
    x = make_input(kind, shape, np.random.default_rng(1))
    flat = x.reshape((-1,) + TAILS[kind])
    expected = getattr(rn, name)(flat).reshape(shape + out_tail)
    got = getattr(rn, name)(x)
    assert got.shape == shape + out_tail
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)
    got_t = getattr(rt, name)(torch.from_numpy(x))
    assert tuple(got_t.shape) == shape + out_tail
    np.testing.assert_allclose(got_t.numpy(), expected, rtol=0, atol=1e-13)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_float32_is_preserved(name):
    kind, _ = FUNCTIONS[name]
    x = make_input(kind, (7,), np.random.default_rng(2))
    expected = getattr(rn, name)(x)
    got = getattr(rn, name)(x.astype(np.float32))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=2e-5)
    got_t = getattr(rt, name)(torch.from_numpy(x.astype(np.float32)))
    assert got_t.dtype == torch.float32
    np.testing.assert_allclose(got_t.numpy(), expected, atol=2e-5)


def test_integer_input_becomes_float64_and_bad_shapes_raise():
    assert rn.axis_angle_to_matrix(np.zeros(3, dtype=np.int64)).dtype == np.float64
    np.testing.assert_array_equal(rn.axis_angle_to_matrix([0, 0, 0]), np.eye(3))
    with pytest.raises(ValueError, match="aa"):
        rn.axis_angle_to_matrix(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="R"):
        rt.matrix_to_quaternion(torch.zeros(3))
    with pytest.raises(ValueError, match="d6"):
        rt.rotation_6d_to_matrix(torch.zeros(()))


# --- edge angles --------------------------------------------------------------------


@pytest.mark.parametrize("lib", [rn, rt])
@pytest.mark.parametrize("angle", [0.0, 1e-300, 1e-12, 1e-8, 1e-5, 1e-3])
def test_small_angles_are_exact(lib, angle):
    axis = np.array([2.0, -3.0, 6.0]) / 7.0
    aa = axis * angle
    # The exponential series of the skew matrix, to far below float64 resolution.
    K = skew(aa)
    expected, term = np.eye(3), np.eye(3)
    for k in range(1, 8):
        term = term @ K / k
        expected = expected + term
    as_lib = torch.from_numpy if lib is rt else np.asarray
    R = lib.axis_angle_to_matrix(as_lib(aa))
    R = R.numpy() if lib is rt else R
    np.testing.assert_allclose(R, expected, rtol=0, atol=3e-16)
    back = lib.matrix_to_axis_angle(as_lib(R))
    back = back.numpy() if lib is rt else back
    # Relative accuracy: the axis survives even when the angle is tiny.
    np.testing.assert_allclose(back, aa, rtol=1e-9, atol=0)
    q = lib.axis_angle_to_quaternion(as_lib(aa))
    back_q = lib.quaternion_to_axis_angle(q)
    back_q = back_q.numpy() if lib is rt else back_q
    np.testing.assert_allclose(back_q, aa, rtol=1e-14, atol=0)


def test_identity_gives_exactly_zero():
    np.testing.assert_array_equal(rn.matrix_to_axis_angle(np.eye(3)), np.zeros(3))
    np.testing.assert_array_equal(rn.matrix_to_quaternion(np.eye(3)), [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(rt.matrix_to_axis_angle(torch.eye(3, dtype=torch.float64)).numpy(), np.zeros(3))


@pytest.mark.parametrize("lib", [rn, rt])
@pytest.mark.parametrize("delta", [1e-3, 1e-6, 1e-9, 0.0])
def test_near_pi(lib, delta):
    axes = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 2.0, -2.0], [-0.5, 0.1, 0.3]])
    axes /= np.linalg.norm(axes, axis=-1, keepdims=True)
    aa = axes * (np.pi - delta)
    as_lib = torch.from_numpy if lib is rt else np.asarray
    to_np = (lambda t: t.numpy()) if lib is rt else np.asarray
    R = to_np(lib.axis_angle_to_matrix(as_lib(aa)))
    assert_rotation(R)
    back = to_np(lib.matrix_to_axis_angle(as_lib(R)))
    np.testing.assert_allclose(np.linalg.norm(back, axis=-1), np.pi - delta, atol=1e-12)
    np.testing.assert_allclose(rn.axis_angle_to_matrix(back), R, atol=1e-12)
    if delta:
        np.testing.assert_allclose(back, aa, atol=1e-9)
    else:
        np.testing.assert_allclose(np.abs(np.sum(back * aa, axis=-1)), np.pi**2, atol=1e-12)
    q = to_np(lib.matrix_to_quaternion(as_lib(R)))
    assert np.all(q[..., 0] >= 0)
    np.testing.assert_allclose(q[..., 0], np.cos((np.pi - delta) / 2), atol=1e-15)


def test_half_turn_matrices():
    for i in range(3):
        R = -np.eye(3)
        R[i, i] = 1.0
        expected = np.zeros(3)
        expected[i] = np.pi
        back = rn.matrix_to_axis_angle(R)
        np.testing.assert_allclose(np.abs(back), expected, atol=1e-15)
        np.testing.assert_allclose(rt.matrix_to_axis_angle(torch.from_numpy(R)).abs().numpy(), expected, atol=1e-15)


# --- gradients ----------------------------------------------------------------------


def _f64(x) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize(
    "aa",
    [[0.0, 0.0, 0.0], [1e-7, -2e-7, 3e-8], [0.05, 0.08, -0.03], [0.0999, 0.0, 0.0], [0.1001, 0.0, 0.0],
     [0.7, -1.3, 2.1]],
)
def test_gradcheck_axis_angle_to_matrix(aa):
    assert torch.autograd.gradcheck(rt.axis_angle_to_matrix, (_f64(aa),))
    assert torch.autograd.gradcheck(rt.axis_angle_to_quaternion, (_f64(aa),))


def test_gradient_at_zero_is_the_rotation_generator():
    jac = torch.autograd.functional.jacobian(rt.axis_angle_to_matrix, torch.zeros(3, dtype=torch.float64))
    assert torch.isfinite(jac).all()
    for i in range(3):
        np.testing.assert_allclose(jac[..., i].numpy(), skew(np.eye(3)[i]), atol=1e-15)
    batch = torch.zeros(4, 3, dtype=torch.float64, requires_grad=True)
    rt.axis_angle_to_matrix(batch).sum().backward()
    assert torch.isfinite(batch.grad).all()


def test_gradcheck_6d():
    rng = np.random.default_rng(3)
    assert torch.autograd.gradcheck(rt.rotation_6d_to_matrix, (_f64(rng.normal(size=(4, 6))),))
    assert torch.autograd.gradcheck(rt.matrix_to_rotation_6d, (_f64(rng.normal(size=(4, 3, 3))),))
    R = rn.axis_angle_to_matrix(rng.normal(size=(4, 3)))
    assert torch.autograd.gradcheck(rt.matrix_to_rotation_6d, (_f64(R),))


def test_gradcheck_matrix_to_axis_angle():
    R = rn.axis_angle_to_matrix(np.random.default_rng(4).normal(size=(4, 3)))
    assert torch.autograd.gradcheck(rt.matrix_to_axis_angle, (_f64(R),))
    assert torch.autograd.gradcheck(rt.matrix_to_axis_angle, (_f64(np.eye(3)),))
    q = np.random.default_rng(5).normal(size=(4, 4))
    assert torch.autograd.gradcheck(rt.quaternion_to_axis_angle, (_f64(q),))
    assert torch.autograd.gradcheck(rt.quaternion_to_axis_angle, (_f64([1.0, 0.0, 0.0, 0.0]),))


def test_numpy_and_torch_conversions_are_twins_that_say_so():
    """Every conversion exists in both modules, and each docstring names its twin (so a fix reaches both)."""
    import inspect

    def public(module):
        return {n for n, f in inspect.getmembers(module, inspect.isfunction)
                if not n.startswith("_") and f.__module__ == module.__name__}

    assert public(rn) == public(rt)
    for name in public(rn):
        assert f"rotations_torch.{name}`" in getattr(rn, name).__doc__
        assert f"rotations.{name}`" in getattr(rt, name).__doc__
