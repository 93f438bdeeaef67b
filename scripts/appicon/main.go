// Command appicon draws build/appicon.png, the 512x512 application icon
// Wails uses: a funnel of three bars and a navigator dot on a blue tile.
//
//	go run ./scripts/appicon build/appicon.png
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size    = 512
	samples = 4 // supersampling per axis, for smooth edges
	radius  = 96.0
)

var (
	blueTop    = color.NRGBA{0x1f, 0x5f, 0xd1, 0xff}
	tealBottom = color.NRGBA{0x0f, 0xa3, 0x9a, 0xff}
	white      = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	orange     = color.NRGBA{0xff, 0x9f, 0x1c, 0xff}
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: appicon OUT.png")
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.SetNRGBA(x, y, pixel(x, y))
		}
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(out, img); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}

// pixel averages the supersamples of one pixel.
func pixel(x, y int) color.NRGBA {
	var r, g, b, a float64
	for sy := range samples {
		for sx := range samples {
			px := float64(x) + (float64(sx)+0.5)/samples
			py := float64(y) + (float64(sy)+0.5)/samples
			c := sample(px, py)
			alpha := float64(c.A) / 255
			r += float64(c.R) * alpha
			g += float64(c.G) * alpha
			b += float64(c.B) * alpha
			a += alpha
		}
	}
	if a == 0 {
		return color.NRGBA{}
	}
	n := samples * samples
	return color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(a / float64(n) * 255)}
}

// sample is the colour at one point: transparent outside the rounded tile.
func sample(x, y float64) color.NRGBA {
	if !inRoundedSquare(x, y) {
		return color.NRGBA{}
	}
	if inFunnel(x, y) {
		return white
	}
	if math.Hypot(x-256, y-410) < 34 {
		return orange
	}
	return mix(blueTop, tealBottom, (x+y)/(2*size))
}

func inRoundedSquare(x, y float64) bool {
	cx := math.Max(math.Abs(x-256)-(256-radius), 0)
	cy := math.Max(math.Abs(y-256)-(256-radius), 0)
	return math.Hypot(cx, cy) <= radius
}

// inFunnel: three bars, each narrower than the one above.
func inFunnel(x, y float64) bool {
	bars := []struct{ top, half float64 }{{100, 170}, {190, 120}, {280, 70}}
	for _, bar := range bars {
		if y >= bar.top && y < bar.top+62 && math.Abs(x-256) <= bar.half-(y-bar.top)*0.4 {
			return true
		}
	}
	return false
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	lerp := func(p, q uint8) uint8 { return uint8(float64(p) + (float64(q)-float64(p))*t) }
	return color.NRGBA{lerp(a.R, b.R), lerp(a.G, b.G), lerp(a.B, b.B), 0xff}
}
