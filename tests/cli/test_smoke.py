import sympy as sp


def test_gradient_of_lesson_example_at_point(calc):
    r = calc("grad", "x^2 y + sin(y)", "--at", "x=1,y=pi", "--json")
    assert r.exit_code == 0, r.stderr
    res = r.json()["result"]
    assert res["gradient"] == {"x": "2*x*y", "y": "x**2 + cos(y)"}
    assert sp.sympify(res["value"]["gradient"]["x"]) == 2 * sp.pi
    assert res["numeric"]["gradient"]["y"] == 0.0
