fn main() {
    println!("insyn");
}
