//! Charts as PNG: lines over days (with gaps where there is no value, and a minimum drawn as a
//! dashed line) and bars (grouped or stacked), 1,200 × 600 with large type so they read on a
//! phone. Drawn by plotters into a buffer with a font that ships with a crate (servers have no
//! system fonts).

use std::sync::Once;

use image::ImageEncoder;
use plotters::prelude::*;

/// The size of every chart: readable on a phone, within Discord's limits by far.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 600;

const FONT: &str = "sans-serif";
const PALETTE: [RGBColor; 7] = [
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(214, 39, 40),
    RGBColor(140, 86, 75),
    RGBColor(127, 127, 127),
];

fn register_font() {
    static FONT_ONCE: Once = Once::new();
    FONT_ONCE.call_once(|| {
        if plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        )
        .is_err()
        {
            tracing::error!("the chart font could not be loaded");
        }
    });
}

/// One line: its name and a value per x position (`None`: no value there, a gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// One group of bars: its name and a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub name: String,
    pub values: Vec<f64>,
}

type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

fn png(buffer: &[u8]) -> DrawResult<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(
        buffer,
        WIDTH,
        HEIGHT,
        image::ColorType::Rgb8,
    )?;
    Ok(out)
}

/// The series' names in a box at the upper right, the same on every chart.
fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, BitMapBackend<'a>, CT>,
) -> DrawResult<()> {
    chart
        .configure_series_labels()
        .label_font((FONT, 22))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}

fn nice_max(max: f64) -> f64 {
    if max <= 0.0 { 1.0 } else { (max * 1.15).ceil() }
}

/// Lines over `x_labels` (e.g. days), with an optional minimum as a dashed line.
pub fn lines(
    title: &str,
    x_labels: &[String],
    lines: &[Line],
    minimum: Option<(&str, f64)>,
) -> DrawResult<Vec<u8>> {
    register_font();
    let mut buffer = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = x_labels.len().max(1);
        let max = lines
            .iter()
            .flat_map(|l| l.values.iter().flatten())
            .copied()
            .chain(minimum.map(|(_, m)| m))
            .fold(0.0, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 40))
            .margin(24)
            .x_label_area_size(56)
            .y_label_area_size(72)
            .build_cartesian_2d(
                0f64..(n.saturating_sub(1).max(1)) as f64,
                0f64..nice_max(max),
            )?;
        let step = (n / 8).max(1);
        chart
            .configure_mesh()
            .label_style((FONT, 24))
            .x_labels(n.min(9))
            .x_label_formatter(&|x| {
                let i = x.round() as usize;
                if i % step == 0 {
                    x_labels.get(i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        for (i, line) in lines.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let style = ShapeStyle::from(&color).stroke_width(if i == 0 { 4 } else { 2 });
            // Each stretch without a gap is drawn on its own: a gap stays a gap.
            let mut stretch: Vec<(f64, f64)> = Vec::new();
            let mut first = true;
            for (x, v) in line.values.iter().enumerate() {
                match v {
                    Some(v) => stretch.push((x as f64, *v)),
                    None if !stretch.is_empty() => {
                        let drawn = chart.draw_series(LineSeries::new(stretch.drain(..), style))?;
                        if first {
                            drawn.label(&line.name).legend(move |(x, y)| {
                                PathElement::new(vec![(x, y), (x + 24, y)], style)
                            });
                            first = false;
                        }
                    }
                    None => {}
                }
            }
            if !stretch.is_empty() {
                let single = stretch.len() == 1;
                let points = stretch.clone();
                let drawn = chart.draw_series(LineSeries::new(stretch, style))?;
                if first {
                    drawn
                        .label(&line.name)
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
                }
                if single {
                    chart.draw_series(
                        points
                            .into_iter()
                            .map(|p| Circle::new(p, 5, style.filled())),
                    )?;
                }
            }
        }
        if let Some((label, m)) = minimum {
            let red = ShapeStyle::from(&RED).stroke_width(3);
            let last = n.saturating_sub(1).max(1) as f64;
            let dashes = (0..40).map(|k| {
                let a = last * f64::from(k) / 40.0;
                PathElement::new(vec![(a, m), (a + last / 80.0, m)], red)
            });
            chart
                .draw_series(dashes)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], red));
        }
        legend(&mut chart)?;
        root.present()?;
    }
    png(&buffer)
}

/// Bars per category: groups side by side, or stacked.
pub fn bars(
    title: &str,
    categories: &[String],
    groups: &[Bars],
    stacked: bool,
    y_label: &str,
) -> DrawResult<Vec<u8>> {
    register_font();
    let mut buffer = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let n = categories.len().max(1);
        let max = if stacked {
            (0..n)
                .map(|c| {
                    groups
                        .iter()
                        .map(|g| g.values.get(c).copied().unwrap_or(0.0))
                        .sum()
                })
                .fold(0.0, f64::max)
        } else {
            groups
                .iter()
                .flat_map(|g| g.values.iter())
                .copied()
                .fold(0.0, f64::max)
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 40))
            .margin(24)
            .x_label_area_size(56)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..n as f64, 0f64..nice_max(max))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .label_style((FONT, 24))
            .x_labels(n * 2 + 1)
            .x_label_formatter(&|x| {
                let half = (x * 2.0).round() as i64;
                if half % 2 == 1 {
                    categories
                        .get(usize::try_from(half / 2).unwrap_or(0))
                        .cloned()
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc(y_label)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        let width = 0.8
            / if stacked {
                1.0
            } else {
                groups.len().max(1) as f64
            };
        let mut base = vec![0.0; n];
        for (g, group) in groups.iter().enumerate() {
            let color = PALETTE[g % PALETTE.len()];
            let rects: Vec<Rectangle<(f64, f64)>> = (0..n)
                .map(|c| {
                    let v = group.values.get(c).copied().unwrap_or(0.0);
                    let left = c as f64 + 0.1 + if stacked { 0.0 } else { g as f64 * width };
                    let (bottom, top) = if stacked {
                        let b = base[c];
                        base[c] += v;
                        (b, b + v)
                    } else {
                        (0.0, v)
                    };
                    Rectangle::new([(left, bottom), (left + width, top)], color.filled())
                })
                .collect();
            chart
                .draw_series(rects)?
                .label(&group.name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 8), (x + 20, y + 8)], color.filled())
                });
        }
        if groups.len() > 1 {
            legend(&mut chart)?;
        }
        root.present()?;
    }
    png(&buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(png: &[u8]) -> image::RgbImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .expect("a PNG")
            .to_rgb8()
    }

    #[test]
    fn charts_are_pngs_of_the_stated_size_and_not_blank() {
        let days: Vec<String> = (1..=28).map(|d| format!("{d:02}.11.")).collect();
        let line = Line {
            name: "Gesamt".into(),
            values: (0..28)
                .map(|d| (d % 9 != 4).then_some(f64::from(8 + d % 5)))
                .collect(),
        };
        let png = lines(
            "Verfügbar für Neukunden",
            &days,
            &[line],
            Some(("Minimum", 10.0)),
        )
        .unwrap();
        let bars = bars(
            "Nachfrage",
            &["KW 45".into(), "KW 46".into()],
            &[
                Bars {
                    name: "besetzt".into(),
                    values: vec![3.0, 4.0],
                },
                Bars {
                    name: "offen".into(),
                    values: vec![1.0, 0.0],
                },
            ],
            true,
            "Aufgaben",
        )
        .unwrap();
        for png in [png, bars] {
            let image = decoded(&png);
            assert_eq!((image.width(), image.height()), (WIDTH, HEIGHT));
            let white = image.pixels().filter(|p| p.0 == [255, 255, 255]).count();
            let all = (WIDTH * HEIGHT) as usize;
            assert!(white < all * 99 / 100, "more than white: {white} of {all}");
            assert!(
                image.pixels().any(|p| p.0 == [31, 119, 180]),
                "the first colour is drawn"
            );
        }
    }
}
