export default function PaymentsPage() {
  return <h1>PaymentsPage</h1>;
}
