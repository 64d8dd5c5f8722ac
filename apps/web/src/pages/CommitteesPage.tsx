export default function CommitteesPage() {
  return <h1>CommitteesPage</h1>;
}
