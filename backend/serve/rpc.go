// Package serve exposes the bound API over HTTP for a plain browser
// (`lead-navigator serve`): the same methods the Wails window calls, the
// built frontend, an event stream, file upload and export download.
package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// Dispatcher calls exported methods of one bound object by name with JSON
// arguments, the way the Wails runtime does for the desktop window.
type Dispatcher struct {
	target  reflect.Value
	methods map[string]reflect.Method
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// NewDispatcher indexes the exported methods of target.
func NewDispatcher(target any, skip ...string) *Dispatcher {
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	v := reflect.ValueOf(target)
	d := &Dispatcher{target: v, methods: map[string]reflect.Method{}}
	for i := 0; i < v.Type().NumMethod(); i++ {
		m := v.Type().Method(i)
		if !skipped[m.Name] {
			d.methods[m.Name] = m
		}
	}
	return d
}

// ErrUnknownMethod is returned for a name that is not a bound method.
var ErrUnknownMethod = errors.New("unknown method")

// Call invokes method with args (a JSON array) and returns its result value
// (nil for methods returning only an error).
func (d *Dispatcher) Call(method string, args json.RawMessage) (any, error) {
	m, ok := d.methods[method]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownMethod, method)
	}
	var raw []json.RawMessage
	if len(args) > 0 {
		if err := json.Unmarshal(args, &raw); err != nil {
			return nil, fmt.Errorf("arguments of %s must be a JSON array: %w", method, err)
		}
	}
	ft := m.Func.Type()
	want := ft.NumIn() - 1 // receiver
	if len(raw) != want {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", method, want, len(raw))
	}
	in := []reflect.Value{d.target}
	for i, r := range raw {
		p := reflect.New(ft.In(i + 1))
		if err := json.Unmarshal(r, p.Interface()); err != nil {
			return nil, fmt.Errorf("argument %d of %s: %w", i+1, method, err)
		}
		in = append(in, p.Elem())
	}
	out := m.Func.Call(in)
	var result any
	for _, o := range out {
		if o.Type().Implements(errorType) && o.Type() == errorType {
			if !o.IsNil() {
				return nil, o.Interface().(error)
			}
			continue
		}
		result = o.Interface()
	}
	return result, nil
}

// Methods lists the callable method names.
func (d *Dispatcher) Methods() []string {
	out := make([]string, 0, len(d.methods))
	for name := range d.methods {
		out = append(out, name)
	}
	return out
}
