//! datalogic-peer -- the datalogic-rs external peer of the JsonLogic peer
//! harness (bench/jsonlogic-peers/peers.js): the same 46 rules over the
//! same records, eval-only (records parsed into datalogic's DataValue
//! before timing) and end-to-end (datavalue's own parser on each line,
//! then every rule), printing the harness's JSON line. Results are hashed
//! in an untimed pass, as the JavaScript peers do.
//!
//! Usage: datalogic-peer RULES DATA [--runs N] [--limit N] [--warmup N]

use datalogic_rs::bumpalo::Bump;
use datalogic_rs::{DataValue, Engine, Logic};
use std::time::Instant;

const FNV_BASIS: u32 = 2166136261;
const FNV_PRIME: u32 = 16777619;

fn fnv(mut h: u32, s: &[u8]) -> u32 {
    for &b in s {
        h = (h ^ b as u32).wrapping_mul(FNV_PRIME);
    }
    h
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s[s.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mut runs, mut limit, mut warmup) = (3usize, 0usize, 5000usize);
    let mut files = Vec::new();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--runs" => {
                runs = args[i + 1].parse().unwrap();
                i += 1;
            }
            "--limit" => {
                limit = args[i + 1].parse().unwrap();
                i += 1;
            }
            "--warmup" => {
                warmup = args[i + 1].parse().unwrap();
                i += 1;
            }
            a => files.push(a.to_string()),
        }
        i += 1;
    }
    let rules_text = std::fs::read_to_string(&files[0]).expect("rules");
    let data_text = std::fs::read_to_string(&files[1]).expect("data");
    let mut lines: Vec<&str> = data_text.lines().filter(|l| !l.is_empty()).collect();
    if limit > 0 && lines.len() > limit {
        lines.truncate(limit);
    }
    let engine = Engine::new();
    let rules_arena = Bump::new();
    let rules_obj = DataValue::from_str(&rules_text, &rules_arena).expect("rules json");
    let mut names = Vec::new();
    let mut logic: Vec<Logic> = Vec::new();
    for (k, v) in rules_obj.as_object().expect("rules object") {
        names.push(k.to_string());
        logic.push(
            engine
                .compile(v.to_json_string().as_str())
                .expect("compile"),
        );
    }
    let n = logic.len();

    // eval-only input: every record parsed before timing
    let data_arena = Bump::new();
    let recs: Vec<&DataValue> = lines
        .iter()
        .map(|l| &*data_arena.alloc(DataValue::from_str(l, &data_arena).expect("record")))
        .collect();

    let mut arena = Bump::new();
    let mut truthy = vec![0u64; n];
    let mut errors = vec![0u64; n];
    for r in recs.iter().take(warmup) {
        for l in &logic {
            let _ = engine.evaluate(l, *r, &arena);
        }
        arena.reset();
    }
    let (mut ev, mut e2e) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        truthy.iter_mut().for_each(|t| *t = 0);
        errors.iter_mut().for_each(|t| *t = 0);
        let t0 = Instant::now();
        for r in &recs {
            for (k, l) in logic.iter().enumerate() {
                match engine.evaluate(l, *r, &arena) {
                    Ok(v) => truthy[k] += engine.truthy(v) as u64,
                    Err(_) => errors[k] += 1,
                }
            }
            arena.reset();
        }
        ev.push(t0.elapsed().as_secs_f64() * 1e3);
        truthy.iter_mut().for_each(|t| *t = 0);
        errors.iter_mut().for_each(|t| *t = 0);
        let t0 = Instant::now();
        for line in &lines {
            {
                let rec = arena.alloc(DataValue::from_str(line, &arena).expect("record"));
                for (k, l) in logic.iter().enumerate() {
                    match engine.evaluate(l, &*rec, &arena) {
                        Ok(v) => truthy[k] += engine.truthy(v) as u64,
                        Err(_) => errors[k] += 1,
                    }
                }
            }
            arena.reset();
        }
        e2e.push(t0.elapsed().as_secs_f64() * 1e3);
        eprintln!(
            "datalogic-peer: eval {:.1} ms, e2e {:.1} ms",
            ev.last().unwrap(),
            e2e.last().unwrap()
        );
    }
    // the value hash, untimed
    let mut hash = vec![FNV_BASIS; n];
    for r in &recs {
        for (k, l) in logic.iter().enumerate() {
            hash[k] = match engine.evaluate(l, *r, &arena) {
                Ok(v) => fnv(fnv(hash[k], v.to_json_string().as_bytes()), b"\n"),
                Err(_) => fnv(hash[k], b"!error\n"),
            };
        }
        arena.reset();
    }
    let mut all = FNV_BASIS;
    for h in &hash {
        all = fnv(all, format!("{:08x}", h).as_bytes());
    }
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{:.3}", x))
            .collect::<Vec<_>>()
            .join(",")
    };
    let counts = |v: &[u64]| {
        names
            .iter()
            .zip(v)
            .map(|(k, c)| format!("\"{}\":{}", k, c))
            .collect::<Vec<_>>()
            .join(",")
    };
    eprintln!(
        "datalogic-peer: medians eval {:.1} ms, e2e {:.1} ms",
        median(&ev),
        median(&e2e)
    );
    println!(
        "{{\"label\":\"datalogic-rs 5.1.0 (Rust, native; datavalue parser)\",\"version\":\"5.1.0\",\"records\":{},\"eval_ms\":[{}],\"e2e_ms\":[{}],\"truthy\":{{{}}},\"errors\":{{{}}},\"value_hash\":\"{:08x}\"}}",
        lines.len(), list(&ev), list(&e2e), counts(&truthy), counts(&errors), all
    );
}
